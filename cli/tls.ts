/**
 * `cara tls`: the cluster certificate authority (init-ca, issue-cert,
 * revoke-cert, show-ca). The CA lives in `<state dir>/cluster-ca` by default.
 *
 * @module
 */
import { join } from "node:path";
import { Command } from "@commander-js/extra-typings";
import type { CliContext } from "./context.ts";

/** `cara tls init-ca | issue-cert | revoke-cert | show-ca`. */
export function tlsCommand(ctx: CliContext): Command {
  const caDirOf = async (given: string | undefined) => {
    const { defaultCaDir } = await import("../gateway/tls/cluster_ca.ts");
    return given ?? defaultCaDir(ctx.env);
  };
  const tls = new Command("tls")
    .description(
      "manage the cluster certificate authority (mTLS between nodes)",
    )
    .addHelpText(
      "after",
      "\nExamples:\n  cara tls init-ca\n  cara tls issue-cert node-a\n  cara tls revoke-cert AB:CD:… --node-id node-a --reason 'lost'\n  cara tls show-ca\n",
    );
  tls.command("init-ca")
    .description("create a new cluster CA (cluster-ca.pem, cluster-ca-key.pem)")
    .option("--output <dir>", "CA directory (default: <state dir>/cluster-ca)")
    .action(async (options) => {
      const { initClusterCa } = await import("../gateway/tls/cluster_ca.ts");
      const ca = await initClusterCa(await caDirOf(options.output));
      ctx.io.out(
        `Created cluster CA in ${ca.dir}\n  Certificate: ${
          join(ca.dir, "cluster-ca.pem")
        }\n  Private key: ${
          join(ca.dir, "cluster-ca-key.pem")
        }\n  Fingerprint: ${ca.fingerprint}\n  Expires:     ${ca.notAfter.toISOString()}\n`,
      );
    });
  tls.command("issue-cert")
    .description("issue a node certificate signed by the cluster CA")
    .argument("<node_id>", "node id (letters, digits, '.', '-')")
    .option("--ca-dir <dir>", "CA directory (default: <state dir>/cluster-ca)")
    .option(
      "--output <dir>",
      "where to write the files (default: <ca-dir>/nodes)",
    )
    .action(async (nodeId, options) => {
      const { loadClusterCa } = await import("../gateway/tls/cluster_ca.ts");
      const { issueNodeCertificate } = await import(
        "../gateway/tls/node_cert.ts"
      );
      const ca = await loadClusterCa(await caDirOf(options.caDir));
      const issued = await issueNodeCertificate(ca, nodeId, {
        outputDir: options.output ?? join(ca.dir, "nodes"),
      });
      ctx.io.out(
        `Issued certificate for node "${nodeId}"\n  Certificate: ${issued.certPath}\n  Private key: ${issued.keyPath}\n  Fingerprint: ${issued.fingerprint}\n  Expires:     ${issued.notAfter.toISOString()}\n`,
      );
    });
  tls.command("revoke-cert")
    .description("add a node certificate's fingerprint to the cluster CRL")
    .argument("<fingerprint>", "SHA-256 fingerprint (AB:CD:… or hex)")
    .requiredOption("--node-id <id>", "the node the certificate belongs to")
    .option("--ca-dir <dir>", "CA directory (default: <state dir>/cluster-ca)")
    .option("--reason <text>", "why it is revoked")
    .action(async (fingerprint, options) => {
      const { revokeCertificate } = await import("../gateway/tls/crl.ts");
      const result = await revokeCertificate(await caDirOf(options.caDir), {
        fingerprint,
        nodeId: options.nodeId,
        ...(options.reason === undefined ? {} : { reason: options.reason }),
      });
      ctx.io.out(
        result.revoked
          ? `Revoked ${result.entry.fingerprint} (node "${result.entry.nodeId}")\n`
          : `Certificate ${result.entry.fingerprint} is already revoked\n`,
      );
    });
  tls.command("show-ca")
    .description("print the CA fingerprint and the revoked certificates")
    .option("--ca-dir <dir>", "CA directory (default: <state dir>/cluster-ca)")
    .action(async (options) => {
      const { loadClusterCa } = await import("../gateway/tls/cluster_ca.ts");
      const { readCrl } = await import("../gateway/tls/crl.ts");
      const ca = await loadClusterCa(await caDirOf(options.caDir));
      const crl = await readCrl(ca.dir);
      const lines = [
        `CA directory: ${ca.dir}`,
        `Fingerprint:  ${ca.fingerprint}`,
        `Expires:      ${ca.notAfter.toISOString()}`,
        `Revoked:      ${crl.entries.length}`,
        ...crl.entries.map((e) =>
          `  ${e.fingerprint}  ${e.nodeId}  ${
            new Date(e.revokedAtMs).toISOString()
          }${e.reason ? `  ${e.reason}` : ""}`
        ),
      ];
      ctx.io.out(`${lines.join("\n")}\n`);
    });
  return tls;
}
