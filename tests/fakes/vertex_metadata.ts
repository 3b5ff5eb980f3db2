/**
 * A loopback GCE metadata server: answers
 * `/computeMetadata/v1/instance/service-accounts/default/token` with
 * `{access_token, expires_in, token_type}` and `Metadata-Flavor: Google`,
 * and refuses requests without the `Metadata-Flavor: Google` header (403),
 * as the real one does.
 *
 * @module
 */

/** A running metadata server; `await using` stops it. */
export interface MetadataPeer extends AsyncDisposable {
  /** `127.0.0.1:<port>`, the value for `GCE_METADATA_HOST`. */
  readonly host: string;
  /** Token requests seen (with the right header). */
  readonly hits: number;
}

/** Starts the server; `token` and `expiresIn` (seconds) shape its answer. */
export function startMetadataPeer(
  token: string,
  expiresIn = 3599,
): MetadataPeer {
  let hits = 0;
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (req) => {
      const path = new URL(req.url).pathname;
      if (req.headers.get("metadata-flavor") !== "Google") {
        return new Response("Missing Metadata-Flavor:Google header.", {
          status: 403,
        });
      }
      if (
        path !== "/computeMetadata/v1/instance/service-accounts/default/token"
      ) {
        return new Response("not found", { status: 404 });
      }
      hits++;
      return Response.json({
        access_token: token,
        expires_in: expiresIn,
        token_type: "Bearer",
      }, { headers: { "Metadata-Flavor": "Google" } });
    },
  );
  return {
    host: `127.0.0.1:${server.addr.port}`,
    get hits() {
      return hits;
    },
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}
