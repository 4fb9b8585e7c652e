/**
 * Which addresses argmed calls a `fhirServer` on. The URL comes from the caller, so without a check any client
 * able to reach a CDS service could make argmed GET its own host's ports and the cloud metadata address, and
 * read the difference between "no answer", "HTTP 404" and "not FHIR" (server-side request forgery). Private
 * networks stay allowed (an EHR's FHIR server is often on one); loopback only when configured
 * (`ARGMED_CDS_FHIR_LOOPBACK`, a FHIR server on the same host); link-local (cloud metadata), unspecified and
 * multicast never. The check runs on the address actually connected to (the socket's DNS lookup), so a name
 * that resolves, or re-resolves, to a refused address is caught too.
 */
import { type LookupAddress, lookup as dnsLookup } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { CdsError } from './cds-error.js';

function blockList(ranges: Array<[string, number, 'ipv4' | 'ipv6']>): BlockList {
  const list = new BlockList();
  for (const [network, prefix, family] of ranges) list.addSubnet(network, prefix, family);
  return list;
}

// BlockList matches IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) against the IPv4 ranges as well.
const LOOPBACK = blockList([
  ['127.0.0.0', 8, 'ipv4'],
  ['::1', 128, 'ipv6'],
]);
const NEVER = blockList([
  ['0.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['255.255.255.255', 32, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
  // The IPv6 address of AWS's instance metadata service (inside the private fc00::/7 range otherwise allowed).
  ['fd00:ec2::254', 128, 'ipv6'],
]);

/** Why argmed does not call `address`, or undefined when it does. */
export function refusedAddressKind(address: string, allowLoopback: boolean): string | undefined {
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  if (NEVER.check(address, family)) return 'link-local, unspecified or multicast';
  if (!allowLoopback && LOOPBACK.check(address, family)) return 'loopback';
  return undefined;
}

function refused(host: string, address: string, kind: string): CdsError {
  return new CdsError(
    'ARGMED_CDS_FHIR_UNAVAILABLE',
    `The FHIR server did not give the data: fhirServer ${host} is a ${kind} address (${address}), which argmed ` +
      'does not call' +
      (kind === 'loopback' ? ' unless ARGMED_CDS_FHIR_LOOPBACK=1 (a FHIR server on the same host).' : '.'),
    'fhirServer',
  );
}

/**
 * Checks a host that is an IP literal before any connection.
 * @throws CdsError `ARGMED_CDS_FHIR_UNAVAILABLE` (field `fhirServer`) for a refused address.
 */
export function checkLiteralHost(hostname: string, allowLoopback: boolean): void {
  const address = hostname.replace(/^\[|\]$/g, '');
  if (isIP(address) === 0) return;
  const kind = refusedAddressKind(address, allowLoopback);
  if (kind) throw refused(hostname, address, kind);
}

/**
 * A socket `lookup` that resolves as usual and fails with the CdsError when an address is refused (all of
 * them are checked, so the connection cannot fall back onto a refused one).
 */
export function checkedLookup(allowLoopback: boolean): LookupFunction {
  return function checkedFhirLookup(hostname, options, callback) {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      for (const { address } of addresses) {
        const kind = refusedAddressKind(address, allowLoopback);
        if (kind) return callback(refused(hostname, address, kind) as unknown as NodeJS.ErrnoException, '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
