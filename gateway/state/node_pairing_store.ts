/**
 * Paired nodes (with the hash of their node token) and pending node pairing
 * requests. Limits and expiry are policy of gateway/auth.
 *
 * @module
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { checkOptionalText, checkText } from "./_check.ts";
import { num, numOrNull, type Row, text, textOrNull } from "./_row.ts";
import { writeStatement } from "./transaction.ts";

/** Descriptive fields a node reports about itself. */
export interface NodeInfo {
  nodeId: string;
  displayName: string | null;
  platform: string | null;
  version: string | null;
}

/** A pending node pairing request. */
export interface NodePairingRequest extends NodeInfo {
  requestId: string;
  remoteIp: string | null;
  silent: boolean;
  isRepair: boolean;
  createdAt: number;
}

/** A paired node. */
export interface NodeRecord extends NodeInfo {
  /** Hex SHA-256 of the node token; the token itself is never stored. */
  tokenHash: string;
  tokenExpiresAt: number;
  createdAt: number;
  approvedAt: number;
  lastSeenAt: number | null;
}

function info(row: Row): NodeInfo {
  return {
    nodeId: text(row, "node_id"),
    displayName: textOrNull(row, "display_name"),
    platform: textOrNull(row, "platform"),
    version: textOrNull(row, "version"),
  };
}

function toRequest(row: Row): NodePairingRequest {
  return {
    ...info(row),
    requestId: text(row, "request_id"),
    remoteIp: textOrNull(row, "remote_ip"),
    silent: num(row, "silent") === 1,
    isRepair: num(row, "is_repair") === 1,
    createdAt: num(row, "created_at"),
  };
}

function toNode(row: Row): NodeRecord {
  return {
    ...info(row),
    tokenHash: text(row, "token_hash"),
    tokenExpiresAt: num(row, "token_expires_at"),
    createdAt: num(row, "created_at"),
    approvedAt: num(row, "approved_at"),
    lastSeenAt: numOrNull(row, "last_seen_at"),
  };
}

function infoParams(input: NodeInfo): Record<string, string | null> {
  return {
    nodeId: checkText(input.nodeId, { what: "node id", max: 128 }),
    displayName: checkOptionalText(input.displayName ?? undefined, {
      what: "node display name",
      max: 256,
    }),
    platform: checkOptionalText(input.platform ?? undefined, {
      what: "node platform",
      max: 64,
    }),
    version: checkOptionalText(input.version ?? undefined, {
      what: "node version",
      max: 64,
    }),
  };
}

const UPSERT_REQUEST = `
  INSERT INTO node_pairing_requests (request_id, node_id, display_name, platform,
    version, remote_ip, silent, is_repair, created_at)
  VALUES (:requestId, :nodeId, :displayName, :platform, :version, :remoteIp,
    :silent, :isRepair, :now)
  ON CONFLICT (node_id) DO UPDATE SET
    display_name = COALESCE(excluded.display_name, display_name),
    platform = COALESCE(excluded.platform, platform),
    version = COALESCE(excluded.version, version),
    remote_ip = excluded.remote_ip, silent = excluded.silent,
    is_repair = excluded.is_repair
  RETURNING *`;

// Re-pairing keeps created_at and rotates the token.
const UPSERT_NODE = `
  INSERT INTO nodes (node_id, display_name, platform, version, token_hash,
    token_expires_at, created_at, approved_at)
  VALUES (:nodeId, :displayName, :platform, :version, :tokenHash,
    :tokenExpiresAt, :now, :now)
  ON CONFLICT (node_id) DO UPDATE SET
    display_name = COALESCE(excluded.display_name, display_name),
    platform = COALESCE(excluded.platform, platform),
    version = COALESCE(excluded.version, version),
    token_hash = excluded.token_hash,
    token_expires_at = excluded.token_expires_at,
    approved_at = excluded.approved_at
  RETURNING *`;

/** Reads and writes `nodes` and `node_pairing_requests`. */
export class NodePairingStore {
  readonly #db: DatabaseSync;
  #clock: () => number;
  #sql: Record<string, StatementSync>;

  constructor(db: DatabaseSync, options: { clock: () => number }) {
    this.#db = db;
    this.#clock = options.clock;
    const requests = "node_pairing_requests";
    this.#sql = {
      upsertRequest: db.prepare(UPSERT_REQUEST),
      getRequest: db.prepare(`SELECT * FROM ${requests} WHERE request_id = ?`),
      listRequests: db.prepare(
        `SELECT * FROM ${requests} ORDER BY created_at, request_id`,
      ),
      countRequests: db.prepare(`SELECT count(*) AS n FROM ${requests}`),
      deleteRequest: db.prepare(`DELETE FROM ${requests} WHERE request_id = ?`),
      expireRequests: db.prepare(
        `DELETE FROM ${requests} WHERE created_at <= ?`,
      ),
      upsertNode: db.prepare(UPSERT_NODE),
      getNode: db.prepare("SELECT * FROM nodes WHERE node_id = ?"),
      listNodes: db.prepare(
        "SELECT * FROM nodes ORDER BY approved_at, node_id",
      ),
      countNodes: db.prepare("SELECT count(*) AS n FROM nodes"),
      leastRecent: db.prepare(
        `SELECT node_id FROM nodes
         ORDER BY COALESCE(last_seen_at, approved_at), approved_at LIMIT 1`,
      ),
      deleteNode: db.prepare("DELETE FROM nodes WHERE node_id = ?"),
      touch: db.prepare("UPDATE nodes SET last_seen_at = ? WHERE node_id = ?"),
    };
  }

  #run(name: string): StatementSync {
    const statement = this.#sql[name];
    if (statement === undefined) throw new TypeError(`no statement ${name}`);
    return statement;
  }

  /** Creates the node's pending request or refreshes the existing one. */
  request(
    input: NodeInfo & {
      remoteIp: string | null;
      silent: boolean;
      isRepair: boolean;
    },
  ): NodePairingRequest {
    const params = {
      ...infoParams(input),
      requestId: crypto.randomUUID(),
      remoteIp: input.remoteIp,
      silent: input.silent ? 1 : 0,
      isRepair: input.isRepair ? 1 : 0,
      now: this.#clock(),
    };
    const row = writeStatement(
      this.#db,
      () => this.#run("upsertRequest").get(params),
    );
    if (row === undefined) throw new TypeError("upsert returned no row");
    return toRequest(row);
  }

  /** The request with this id, or `undefined`. */
  getRequest(requestId: string): NodePairingRequest | undefined {
    const row = this.#run("getRequest").get(requestId);
    return row === undefined ? undefined : toRequest(row);
  }

  /** Pending requests, oldest first. */
  listRequests(): NodePairingRequest[] {
    return this.#run("listRequests").all().map(toRequest);
  }

  /** How many requests are pending. */
  countRequests(): number {
    return num(this.#run("countRequests").get() ?? { n: 0 }, "n");
  }

  /** Removes a request; false when it was not pending. */
  deleteRequest(requestId: string): boolean {
    return writeStatement(
      this.#db,
      () => this.#run("deleteRequest").run(requestId),
    ).changes > 0;
  }

  /** Removes requests created at or before `cutoffMs`; returns how many. */
  expireRequests(cutoffMs: number): number {
    return Number(
      writeStatement(
        this.#db,
        () => this.#run("expireRequests").run(cutoffMs),
      ).changes,
    );
  }

  /** Pairs a node or re-pairs it with a new token hash. */
  upsertNode(
    input: NodeInfo & { tokenHash: string; tokenExpiresAt: number },
  ): NodeRecord {
    const params = {
      ...infoParams(input),
      tokenHash: input.tokenHash,
      tokenExpiresAt: input.tokenExpiresAt,
      now: this.#clock(),
    };
    const row = writeStatement(
      this.#db,
      () => this.#run("upsertNode").get(params),
    );
    if (row === undefined) throw new TypeError("upsert returned no row");
    return toNode(row);
  }

  /** The paired node with this id, or `undefined`. */
  getNode(nodeId: string): NodeRecord | undefined {
    const row = this.#run("getNode").get(nodeId);
    return row === undefined ? undefined : toNode(row);
  }

  /** Paired nodes, oldest approval first. */
  listNodes(): NodeRecord[] {
    return this.#run("listNodes").all().map(toNode);
  }

  /** How many nodes are paired. */
  countNodes(): number {
    return num(this.#run("countNodes").get() ?? { n: 0 }, "n");
  }

  /** Unpairs the least recently seen node; returns its id, or `null` when none. */
  evictLeastRecent(): string | null {
    const row = this.#run("leastRecent").get();
    if (row === undefined) return null;
    const nodeId = text(row, "node_id");
    writeStatement(this.#db, () => this.#run("deleteNode").run(nodeId));
    return nodeId;
  }

  /** Records that the node was seen now; false when unknown. */
  touch(nodeId: string): boolean {
    const now = this.#clock();
    return writeStatement(this.#db, () => this.#run("touch").run(now, nodeId))
      .changes > 0;
  }
}
