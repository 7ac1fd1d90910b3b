/**
 * The link-local address in6_ifattach_linklocal gives an interface (in6_ifattach.c): fe80::,
 * the interface's index embedded as KAME's scope (bytes 2-3), then fe80::1's identifier on a
 * loopback, else in6_get_ifid's.
 */
import type { Interface } from './interface.js';

/** fe80:<index>::<identifier> for `ifp`; `interfaces` in attach order (ifnetlist). */
export function linkLocalAddress(ifp: Interface, interfaces: Iterable<Interface>): Uint8Array {
  const ll = new Uint8Array(16);
  ll[0] = 0xfe;
  ll[1] = 0x80;
  ll[2] = ifp.index >> 8;
  ll[3] = ifp.index & 0xff;
  if (ifp.isLoopback) ll[15] = 1;
  else ll.set(interfaceIdentifier(ifp, interfaces), 8);
  return ll;
}

/**
 * in6_get_ifid: the interface's own identifier (in6_get_hw_ifid), else the first interface's in
 * attach order (ifnetlist) that has one — how a gif(4), which has none, gets its link-local
 * address —, else a random one (in6_get_rand_ifid).
 */
function interfaceIdentifier(ifp: Interface, interfaces: Iterable<Interface>): Uint8Array {
  const own = hardwareIdentifier(ifp);
  if (own) return own;
  for (const other of interfaces) {
    const id = other === ifp ? undefined : hardwareIdentifier(other);
    if (id) return id;
  }
  return randomIdentifier(ifp);
}

/**
 * in6_get_hw_ifid: an Ethernet-like interface's EUI-64 from its address (not all zeros or
 * ones, not a group address), the universal/local bit inverted; none for other interfaces
 * (gif(4): "we don't do this" with its IPv4 address).
 */
function hardwareIdentifier(ifp: Interface): Uint8Array | undefined {
  const l = ifp.lladdr;
  if (!ifp.kind.hasLladdr || l.length !== 6 || l.every((b) => b === 0) || l.every((b) => b === 0xff) || l[0]! & 0x01) return undefined;
  return Uint8Array.of(l[0]! ^ 0x02, l[1]!, l[2]!, 0xff, 0xfe, l[3]!, l[4]!, l[5]!);
}

/**
 * in6_get_rand_ifid's identifier (its universal/local and group bits clear). The kernel draws it
 * with arc4random; the model derives it from the interface's name and index (FNV-1a), so runs
 * repeat.
 */
export function randomIdentifier(ifp: { name: string; index: number }): Uint8Array {
  const out = new Uint8Array(8);
  let h = 0x811c9dc5;
  const text = `${ifp.name}/${ifp.index}`;
  for (let i = 0; i < 8; i++) {
    for (let j = 0; j < text.length; j++) h = Math.imul(h ^ text.charCodeAt(j), 0x01000193) >>> 0;
    h = Math.imul(h ^ i, 0x01000193) >>> 0;
    out[i] = h & 0xff;
  }
  out[0]! &= ~0x03;
  return out;
}
