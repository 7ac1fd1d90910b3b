/**
 * ifconfig(8)'s tunnel parameters and status line. Current: ifconfig.c 1.476 (settunnel,
 * settunneladdr, deletetunnel, settunnelinst, unsettunnelinst, settunnelttl, settunneldf,
 * settunnelnodf, settunnelecn, settunnelnoecn, print_tunnel, phys_status). 4.9: ifconfig.c 1.246
 * (its keyword table) with settunnel, deletetunnel, settunnelinst and phys_status as 1.232 has
 * them. Their ioctl failures are warn()ings (status 0, the other parameters still apply); bad
 * arguments are errx(1).
 */
import type { DialectName } from '../../abi/dialect.js';
import { parseIPv4, parseIPv6 } from '../../codec/bytes.js';
import { RtsockErrno } from '../../kernel/errno.js';
import type { Interface } from '../../kernel/interface.js';
import type { Kernel } from '../../kernel/kernel.js';
import type { TunnelEndpoint } from '../../kernel/tunnel.js';
import { strtonum } from '../route/context.js';

/** What ifconfig(8) does with tunnels, by dialect. */
interface IfconfigTunnel {
  /** cmds[]'s tunnel keywords. */
  readonly keywords: ReadonlySet<string>;
  /**
   * phys_status: `\ttunnel: ` for every interface that answers SIOCGLIFPHYADDR or says
   * EADDRNOTAVAIL (`(unset)`), then ttl/df/ecn (current); `\tphysical address ` only when a
   * tunnel is set (4.9).
   */
  readonly status: 'tunnel' | 'physical address';
  /**
   * settunnel's getaddrinfo: AF_UNSPEC, an `addr:port` split at a single colon (current); or
   * the command's address family (afp, inet unless `inet6` was given) and no ports (4.9).
   */
  readonly anyFamily: boolean;
  /** in6_fillscopeid before printing: a link-local endpoint's scope id replaced by its (zero) embedded one (4.9). */
  readonly scopeFromAddress: boolean;
}

const TUNNEL_BY_DIALECT: Record<DialectName, IfconfigTunnel> = {
  'openbsd-4.9': {
    keywords: new Set(['tunnel', 'giftunnel', 'deletetunnel', 'tunneldomain']),
    status: 'physical address', anyFamily: false, scopeFromAddress: true,
  },
  openbsd: {
    keywords: new Set(['tunnel', 'tunneladdr', '-tunnel', 'tunneldomain', '-tunneldomain', 'tunnelttl', 'tunneldf', '-tunneldf', 'tunnelecn', '-tunnelecn']),
    status: 'tunnel', anyFamily: true, scopeFromAddress: false,
  },
};

/** What a tunnel keyword needs from ifconfig's command loop. */
export interface TunnelContext {
  k: Kernel;
  name: string;
  /** The command's address family (`inet6` given or not). */
  af: 'inet' | 'inet6';
  /** An ioctl whose failure (suser's EPERM for a non-root user included) is warn()ed: ifconfig's own. */
  soft: (ioc: string, fn: () => void) => void;
  /** errx(1): the command stops here. */
  errx: (text: string) => never;
}

export function isTunnelKeyword(k: Kernel, word: string): boolean {
  return TUNNEL_BY_DIALECT[k.policy.name].keywords.has(word);
}

/** Applies tunnel keyword `params[i]`; returns the index of its last argument. */
export function tunnelKeyword(c: TunnelContext, params: string[], i: number): number {
  const w = params[i]!;
  const ifc = c.k.ifconfig;
  const arg = (n: number): string => {
    if (params[i + n] === undefined) c.errx(`'${w}' requires ${n === 2 ? '2 arguments' : 'argument'}`);
    return params[i + n]!;
  };
  switch (w) {
    case 'tunnel': case 'giftunnel': {
      const [src, dst] = [arg(1), arg(2)];
      const a = endpoint(c, src);
      const b = endpoint(c, dst);
      if (a.af !== b.af) c.errx('source and destination address families do not match');
      c.soft('SIOCSLIFPHYADDR', () => ifc.setTunnel(c.name, a.text, b.text));
      return i + 2;
    }
    case 'tunneladdr': {
      const src = arg(1);
      const a = endpoint(c, src, `tunneladdr ${src}`);
      c.soft(`tunneladdr ${src}`, () => ifc.setTunnel(c.name, a.text, undefined));
      return i + 1;
    }
    case 'deletetunnel': case '-tunnel':
      c.soft('SIOCDIFPHYADDR', () => ifc.deleteTunnel(c.name));
      return i;
    case 'tunneldomain': {
      const v = arg(1);
      const id = strtonum(v, 0, 255);
      if (typeof id === 'string') c.errx(`rdomain ${v}: ${id}`);
      c.soft('SIOCSLIFPHYRTABLE', () => ifc.setTunnelRdomain(c.name, id));
      return i + 1;
    }
    case '-tunneldomain':
      c.soft('SIOCSLIFPHYRTABLE', () => ifc.setTunnelRdomain(c.name, 0));
      return i;
    case 'tunnelttl': {
      const v = arg(1);
      const ttl = v === 'copy' ? -1 : strtonum(v, 0, 0xff);
      if (typeof ttl === 'string') c.errx(`tunnelttl ${v}: ${ttl}`);
      c.soft('SIOCSLIFPHYTTL', () => ifc.setTunnelTtl(c.name, ttl));
      return i + 1;
    }
    case 'tunneldf': case '-tunneldf':
      c.soft('SIOCSLIFPHYDF', () => ifc.setTunnelDf(c.name, w === 'tunneldf'));
      return i;
    default:
      c.soft('SIOCSLIFPHYECN', () => ifc.setTunnelEcn(c.name, w === 'tunnelecn'));
      return i;
  }
}

/**
 * getaddrinfo of a tunnel endpoint (numeric only: the simulated machine knows no names):
 * `%scope` after an IPv6 address; in current a single colon splits off a numeric port, which
 * gif drops. `prefix` starts errx's message (settunneladdr names the argument instead).
 */
function endpoint(c: TunnelContext, text: string, prefix = 'error in parsing address string'): { af: 'inet' | 'inet6'; text: string } {
  const rules = TUNNEL_BY_DIALECT[c.k.policy.name];
  let host = text;
  if (rules.anyFamily && text.indexOf(':') >= 0 && text.indexOf(':') === text.lastIndexOf(':')) {
    host = text.slice(0, text.indexOf(':'));
    const port = text.slice(text.indexOf(':') + 1);
    if (!/^\d+$/.test(port) || Number(port) > 0xffff) c.errx(`${prefix}: servname not supported for ai_socktype`);
  }
  const pct = host.indexOf('%');
  const bare = pct < 0 ? host : host.slice(0, pct);
  const v4 = pct < 0 && parseIPv4(bare) !== undefined;
  const v6 = !v4 && parseIPv6(bare, new Uint8Array(16), 0) !== undefined;
  const af = v4 ? 'inet' : 'inet6';
  const familyOk = rules.anyFamily || af === c.af;
  const zone = pct < 0 ? '' : host.slice(pct + 1);
  const zoneOk = pct < 0 || /^\d+$/.test(zone) || c.k.ifconfig.indexOf(zone) !== 0;
  if (!(v4 || v6) || !familyOk || !zoneOk) c.errx(`${prefix}: name or service is not known`);
  return { af, text: host };
}

/** phys_status's line for `ifp`, if it prints one. */
export function tunnelStatus(k: Kernel, ifp: Interface): string {
  if (!ifp.tunnel) return '';
  const rules = TUNNEL_BY_DIALECT[k.policy.name];
  let ends: string | undefined;
  try {
    const t = k.ifconfig.tunnel(ifp.name);
    const v = t.src.af === 'inet6' ? '6' : '';
    ends = `inet${v} ${endpointText(k, t.src, rules)} --> ${endpointText(k, t.dst, rules)}`;
  } catch (e) {
    if (!(e instanceof RtsockErrno)) throw e;
  }
  const p = k.ifconfig.tunnelParameters(ifp.name);
  let s: string;
  if (rules.status === 'physical address') {
    if (ends === undefined) return '';
    s = `\tphysical address ${ends}`;
  } else {
    s = `\ttunnel: ${ends ?? '(unset)'}`;
    if (p.ttl !== undefined) s += p.ttl === -1 ? ' ttl copy' : p.ttl > 0 ? ` ttl ${p.ttl}` : '';
    if (p.df !== undefined) s += p.df ? ' df' : ' nodf';
    if (p.ecn !== undefined) s += p.ecn ? ' ecn' : ' noecn';
  }
  // SIOCGLIFPHYRTABLE: printed when the interface or its tunnel is outside rdomain 0.
  if (ifp.rdomain !== 0 || p.rdomain !== 0) s += ` rdomain ${p.rdomain}`;
  return `${s}\n`;
}

/** getnameinfo(NI_NUMERICHOST): a scope as `%ifname`, or its number when no interface has it. */
function endpointText(k: Kernel, e: TunnelEndpoint, rules: IfconfigTunnel): string {
  const linkLocal = /^fe[89ab]/i.test(e.address);
  const scope = rules.scopeFromAddress && linkLocal ? 0 : e.scope;
  if (scope === 0) return e.address;
  return `${e.address}%${k.interfaceByIndex(scope)?.name ?? scope}`;
}
