/**
 * Node pairing (ops-and-security.md §4): pending requests an operator
 * approves, paired nodes holding a node token (UUID v4, stored as its hex
 * SHA-256, valid 30 days), and token verification.
 *
 * @module
 */
import { ProtocolError } from "../protocol/errors.ts";
import type { EventSink } from "../protocol/types.ts";
import {
  type NodeInfo,
  type NodePairingRequest,
  NodePairingStore,
  type NodeRecord,
} from "../state/node_pairing_store.ts";
import type { StateDatabase } from "../state/mod.ts";
import { matchesHash, sha256Hex } from "./secret_compare.ts";

/** Registry limits; defaults per ops-and-security.md §4. */
export interface NodePairingLimits {
  maxPaired: number;
  maxPending: number;
  pendingTtlMs: number;
  tokenTtlMs: number;
}

/** The default node registry limits. */
export const NODE_PAIRING_LIMITS: NodePairingLimits = {
  maxPaired: 100,
  maxPending: 50,
  pendingTtlMs: 24 * 60 * 60 * 1000,
  tokenTtlMs: 30 * 24 * 60 * 60 * 1000,
};

/** A paired node as methods show it (no token hash). */
export interface PairedNode extends NodeInfo {
  createdAtMs: number;
  approvedAtMs: number;
  lastSeenAtMs: number | null;
  tokenExpiresAtMs: number;
}

/** Options of {@linkcode NodePairing}. */
export interface NodePairingOptions {
  events: EventSink;
  clock?: () => number;
  limits?: Partial<NodePairingLimits>;
}

const PAIRING_SCOPE = { scope: "operator.pairing" } as const;

function show(node: NodeRecord): PairedNode {
  return {
    nodeId: node.nodeId,
    displayName: node.displayName,
    platform: node.platform,
    version: node.version,
    createdAtMs: node.createdAt,
    approvedAtMs: node.approvedAt,
    lastSeenAtMs: node.lastSeenAt,
    tokenExpiresAtMs: node.tokenExpiresAt,
  };
}

/** The node pairing registry and its rules. */
export class NodePairing {
  #state: StateDatabase;
  #store: NodePairingStore;
  #events: EventSink;
  #clock: () => number;
  #limits: NodePairingLimits;

  constructor(state: StateDatabase, options: NodePairingOptions) {
    this.#state = state;
    this.#clock = options.clock ?? Date.now;
    this.#store = new NodePairingStore(state.db, { clock: this.#clock });
    this.#events = options.events;
    this.#limits = { ...NODE_PAIRING_LIMITS, ...options.limits };
  }

  /**
   * Creates (or refreshes) the node's pending request and announces
   * `node.pair.requested` unless `silent`.
   *
   * @throws {ProtocolError} `unavailable` when too many requests are pending
   */
  request(
    input: NodeInfo & { silent: boolean; remoteIp: string | null },
  ): { status: "pending"; created: boolean; request: NodePairingRequest } {
    this.#expire();
    const existing = this.#store.listRequests().find((r) =>
      r.nodeId === input.nodeId
    );
    if (
      existing === undefined &&
      this.#store.countRequests() >= this.#limits.maxPending
    ) {
      throw new ProtocolError(
        "unavailable",
        "too many pending node pairing requests",
      );
    }
    const request = this.#store.request({
      ...input,
      isRepair: this.#store.getNode(input.nodeId) !== undefined,
    });
    const created = existing === undefined;
    if (created && !input.silent) {
      this.#events.broadcast("node.pair.requested", {
        ...request,
        ts: this.#clock(),
      }, PAIRING_SCOPE);
    }
    return { status: "pending", created, request };
  }

  /** Pending requests and paired nodes. */
  list(): { pending: NodePairingRequest[]; paired: PairedNode[] } {
    this.#expire();
    return {
      pending: this.#store.listRequests(),
      paired: this.#store.listNodes().map(show),
    };
  }

  /**
   * Approves a request: pairs the node (least recently seen one evicted over
   * the limit) and returns its new token, the only time it is shown.
   *
   * @throws {ProtocolError} `invalid_request` for an unknown request id
   */
  approve(
    requestId: string,
  ): { requestId: string; node: PairedNode & { token: string } } {
    const token = crypto.randomUUID();
    const node = this.#state.transaction(() => {
      const request = this.#pending(requestId);
      if (
        this.#store.getNode(request.nodeId) === undefined &&
        this.#store.countNodes() >= this.#limits.maxPaired
      ) {
        const evicted = this.#store.evictLeastRecent();
        this.#state.audit.append({
          event: "node_evicted",
          data: { nodeId: evicted, reason: "paired node limit" },
        });
      }
      const paired = this.#store.upsertNode({
        nodeId: request.nodeId,
        displayName: request.displayName,
        platform: request.platform,
        version: request.version,
        tokenHash: sha256Hex(token),
        tokenExpiresAt: this.#clock() + this.#limits.tokenTtlMs,
      });
      this.#store.deleteRequest(requestId);
      this.#state.audit.append({
        event: "node_paired",
        data: { requestId, nodeId: paired.nodeId, remoteIp: request.remoteIp },
      });
      return paired;
    });
    this.#resolved(requestId, node.nodeId, "approved");
    return { requestId, node: { ...show(node), token } };
  }

  /**
   * Rejects a pending request and announces `node.pair.resolved`.
   *
   * @throws {ProtocolError} `invalid_request` for an unknown request id
   */
  reject(requestId: string): { requestId: string; nodeId: string } {
    const request = this.#pending(requestId);
    this.#store.deleteRequest(requestId);
    this.#resolved(requestId, request.nodeId, "rejected");
    return { requestId, nodeId: request.nodeId };
  }

  /** Whether `token` is the unexpired token of the paired node (constant-time compare). */
  verify(nodeId: string, token: string): { ok: boolean; nodeId: string } {
    const node = this.#store.getNode(nodeId);
    const hash = node?.tokenHash ?? sha256Hex("");
    const matches = matchesHash(token, hash);
    const ok = node !== undefined && matches &&
      node.tokenExpiresAt > this.#clock();
    if (ok) this.#store.touch(nodeId);
    return { ok, nodeId };
  }

  #expire(): void {
    this.#store.expireRequests(this.#clock() - this.#limits.pendingTtlMs);
  }

  #pending(requestId: string): NodePairingRequest {
    this.#expire();
    const request = this.#store.getRequest(requestId);
    if (request === undefined) {
      throw new ProtocolError(
        "invalid_request",
        `unknown requestId "${
          requestId.slice(0, 80)
        }": it was approved, rejected or expired; list pending requests with node.pair.list`,
      );
    }
    return request;
  }

  #resolved(requestId: string, nodeId: string, decision: string): void {
    this.#events.broadcast("node.pair.resolved", {
      requestId,
      nodeId,
      decision,
      ts: this.#clock(),
    }, PAIRING_SCOPE);
  }
}
