/**
 * `web_fetch`: GET a public http(s) URL through the SSRF guard
 * (gateway/net guardedFetch: DNS pinned, private ranges refused). Redirects
 * are followed by hand (at most 5), each hop checked again, so a redirect to
 * a private address is refused. Bodies are capped; HTML becomes text.
 *
 * @module
 */
import type { Tool } from "../agent/types.ts";
import { CaraError } from "../errors.ts";
import {
  guardedFetch,
  type GuardedFetchOptions,
} from "../net/guarded_fetch.ts";
import { htmlToText } from "./html_text.ts";
import { inputOf, requireText } from "./_input.ts";

/** Options of {@linkcode webFetchTool}. */
export interface WebFetchOptions {
  /** Largest response body, bytes (default 2 MiB). */
  maxBytes?: number;
  /** Most characters returned to the model (default 50 000). */
  maxChars?: number;
  /** Per-hop timeout, ms (default 30 000). */
  timeoutMs?: number;
  /** SSRF options passed through (tests trust loopback addresses here). */
  ssrf?: Pick<GuardedFetchOptions, "resolve" | "trustedAddresses">;
}

const MAX_REDIRECTS = 5;

/** Builds the tool. */
export function webFetchTool(options: WebFetchOptions = {}): Tool {
  const maxBytes = options.maxBytes ?? 2 * 1024 * 1024;
  const maxChars = options.maxChars ?? 50_000;
  return {
    name: "web_fetch",
    description:
      "Fetches a public web page (http or https) and returns its text. Private and local addresses are refused.",
    inputSchema: {
      type: "object",
      properties: { url: { type: "string" } },
      required: ["url"],
    },
    async run(input, context) {
      let url = requireText("web_fetch", inputOf("web_fetch", input), {
        key: "url",
        max: 2048,
      });
      for (let hop = 0;; hop++) {
        const response = await guardedFetch({
          method: "GET",
          url,
          headers: [[
            "accept",
            "text/html, text/plain, application/json;q=0.9, */*;q=0.5",
          ]],
        }, {
          schemes: ["http:", "https:"],
          maxResponseBytes: maxBytes,
          timeoutMs: options.timeoutMs ?? 30_000,
          signal: context.signal,
          ...options.ssrf,
        });
        const header = (name: string) =>
          response.headers.find(([key]) => key.toLowerCase() === name)?.[1];
        const location = header("location");
        if (response.status >= 300 && response.status < 400 && location) {
          if (hop >= MAX_REDIRECTS) {
            throw new CaraError(
              "fetch_failed",
              `Cannot fetch "${url}": more than ${MAX_REDIRECTS} redirects`,
            );
          }
          url = new URL(location, url).href;
          continue;
        }
        const type = header("content-type") ?? "";
        const raw = new TextDecoder().decode(response.body);
        const text = /html/i.test(type) ? htmlToText(raw) : raw;
        const cut = text.length > maxChars;
        return {
          content: `Status ${response.status} from ${url}\n\n${
            text.slice(0, maxChars)
          }${cut ? `\n[cut at ${maxChars} characters]` : ""}`,
          ...(response.status >= 400 ? { isError: true } : {}),
        };
      }
    },
  };
}
