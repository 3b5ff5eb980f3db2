/**
 * A loopback Bedrock Runtime: checks every request's SigV4 signature with
 * the keys it was given (a bad one gets Bedrock's 403
 * `InvalidSignatureException`), then lets a scripted {@linkcode LlmPeer}
 * speaking the event-stream wire answer.
 *
 * @module
 */
import { bedrockStreamWire } from "./bedrock_eventstream.ts";
import { type AwsKeys, verifySigV4 } from "./bedrock_sigv4.ts";
import { type LlmPeer, startLlmPeer } from "./llm_peer.ts";

/** Test credentials the fake accepts by default. */
export const FAKE_AWS_KEYS: AwsKeys = {
  accessKeyId: "AKIDFAKEEXAMPLE00001",
  secretAccessKey: "fake/secret+key/0123456789abcdefghijklm",
  region: "eu-west-3",
  service: "bedrock",
};

/** A running fake Bedrock Runtime. */
export interface BedrockPeer extends LlmPeer {
  /** Why each rejected request's signature was refused, in order. */
  readonly rejected: string[];
  /** How many requests carried a valid signature. */
  readonly verified: number;
}

/** Starts the fake on 127.0.0.1, port 0. */
export function startBedrockPeer(keys: AwsKeys = FAKE_AWS_KEYS): BedrockPeer {
  const inner = startLlmPeer(bedrockStreamWire);
  const rejected: string[] = [];
  let verified = 0;
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (req) => {
      const body = new Uint8Array(await req.arrayBuffer());
      const url = new URL(req.url);
      const reason = await verifySigV4(
        { method: req.method, url, headers: req.headers, body },
        keys,
      );
      if (reason !== undefined) {
        rejected.push(reason);
        return Response.json({
          message:
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
        }, {
          status: 403,
          headers: {
            "x-amzn-errortype":
              "InvalidSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/",
          },
        });
      }
      verified++;
      const headers = new Headers(req.headers);
      headers.delete("host");
      const answer = await fetch(
        `${inner.origin}${url.pathname}${url.search}`,
        {
          method: req.method,
          headers,
          body,
          signal: req.signal,
        },
      );
      return new Response(answer.body, {
        status: answer.status,
        headers: answer.headers,
      });
    },
  );
  return {
    origin: `http://127.0.0.1:${server.addr.port}`,
    script: inner.script,
    requests: inner.requests,
    clientClosed: inner.clientClosed,
    rejected,
    get verified() {
      return verified;
    },
    async [Symbol.asyncDispose]() {
      await server.shutdown();
      await inner[Symbol.asyncDispose]();
    },
  };
}
