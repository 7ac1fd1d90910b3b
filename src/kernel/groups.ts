/**
 * Interface groups (if.c if_addgroup, if_delgroup, if_group_egress_build): every interface is
 * in `all` (if_attachsetup) and its cloner's group (if_clone_create); SIOCAIFGROUP and
 * SIOCDIFGROUP add and remove others; and `egress` holds the interfaces of table 0's default
 * routes, rebuilt whenever a default route is added or deleted (if_group_routechange from
 * rtrequest). Groups change no route and send no routing message: ifconfig shows them.
 */
import { fail } from './errno.js';
import type { KernelContext } from './context.js';
import type { Interface } from './interface.js';

/** IFG_ALL and IFG_EGRESS (if.h). */
export const IFG_ALL = 'all';
export const IFG_EGRESS = 'egress';
/** IFNAMSIZ: ifgr_group is char[IFNAMSIZ], NUL included. */
const GROUP_NAME_MAX = 15;

/** if_addgroup: a name ending in a digit is EINVAL (it would read as an interface), a group it is in EEXIST. */
export function addGroup(ifp: Interface, group: string): void {
  if (group.length > GROUP_NAME_MAX) fail('EINVAL', `group name ${group} longer than ${GROUP_NAME_MAX}`);
  if (/[0-9]$/.test(group)) fail('EINVAL', `group name ${group} ends in a digit`);
  if (ifp.groups.includes(group)) fail('EEXIST', `${ifp.name} is in group ${group}`);
  ifp.groups.push(group);
}

/** if_delgroup: ENOENT unless the interface is in the group (its `all` and cloner groups included). */
export function deleteGroup(ifp: Interface, group: string): void {
  const i = ifp.groups.indexOf(group);
  if (i < 0) fail('ENOENT', `${ifp.name} is not in group ${group}`);
  ifp.groups.splice(i, 1);
}

/**
 * if_group_egress_build: every member leaves `egress`, then the interface of each route at table
 * 0's 0.0.0.0/0, then at ::/0 (rtable_lookup with RTP_ANY and rtable_iterate: down routes too)
 * joins it again, at the end of its list; an interface if_get no longer finds is skipped.
 */
export function rebuildEgress(k: Pick<KernelContext, 'interfaces' | 'table' | 'interfaceByIndex'>): void {
  for (const ifp of k.interfaces.values()) {
    const i = ifp.groups.indexOf(IFG_EGRESS);
    if (i >= 0) ifp.groups.splice(i, 1);
  }
  const table0 = k.table(0);
  if (!table0) return;
  for (const [af, width] of [['inet', 4], ['inet6', 16]] as const) {
    for (const rt of table0.routes.routesAt(af, new Uint8Array(width), 0)) {
      const ifp = rt.ifp;
      if (k.interfaceByIndex(ifp.index) === ifp && !ifp.groups.includes(IFG_EGRESS)) ifp.groups.push(IFG_EGRESS);
    }
  }
}
