/**
 * Interface groups (if.c: if_addgroup, if_delgroup, if_group_egress_build, if_getgroupmembers,
 * if_getgroupattribs, if_setgroupattribs; the same in 4.9's nearest revision 1.237 and current):
 * every interface is in `all` (if_attachsetup) and its cloner's group (if_clone_create);
 * SIOCAIFGROUP and SIOCDIFGROUP add and remove others; and `egress` holds the interfaces of
 * table 0's default routes, rebuilt whenever a default route is added or deleted
 * (if_group_routechange from rtrequest). Groups change no route and send no routing message.
 *
 * Two lists are kept, as the kernel keeps them: each interface's groups in the order it joined
 * them (Interface.groups, if_groups: SIOCGIFGROUP, ifconfig's `groups:` line), and each group's
 * members in the order they joined (ifg_members: SIOCGIFGMEMB, `ifconfig GROUP`). A group
 * exists while it has a member (if_delgroup frees it with its last one), and so does its carp
 * demotion counter.
 */
import { fail } from './errno.js';
import type { KernelContext } from './context.js';
import type { Interface } from './interface.js';

/** IFG_ALL and IFG_EGRESS (if.h). */
export const IFG_ALL = 'all';
export const IFG_EGRESS = 'egress';
/** IFNAMSIZ: ifgr_group is char[IFNAMSIZ], NUL included. */
const GROUP_NAME_MAX = 15;
/** ifg_carp_demoted's range as if_setgroupattribs keeps it. */
const CARP_DEMOTE_MAX = 0xff;

/** One group (struct ifg_group): its members in join order and its carp demotion counter. */
interface Group {
  readonly members: Interface[];
  carpDemoted: number;
}

/** A group as a saved state lists it: name, members' indexes in join order, carp demotion. */
export type GroupTuple = [string, number[], number];

export class InterfaceGroups {
  /** ifg_head: groups in creation order. */
  private readonly byName = new Map<string, Group>();

  /** if_attachsetup and if_clone_create: the new interface joins the groups it starts with. */
  attach(ifp: Interface): void {
    for (const g of ifp.groups) this.join(ifp, g);
  }

  /** if_detach: the interface leaves every group, in its list's order (its own list is left as it was). */
  detach(ifp: Interface): void {
    for (const g of ifp.groups) this.leave(ifp, g);
  }

  /** if_addgroup: a name ending in a digit is EINVAL (it would read as an interface), a group it is in EEXIST. */
  add(ifp: Interface, group: string): void {
    if (group.length > GROUP_NAME_MAX) fail('EINVAL', `group name ${group} longer than ${GROUP_NAME_MAX}`);
    if (/[0-9]$/.test(group)) fail('EINVAL', `group name ${group} ends in a digit`);
    if (ifp.groups.includes(group)) fail('EEXIST', `${ifp.name} is in group ${group}`);
    ifp.groups.push(group);
    this.join(ifp, group);
  }

  /** if_delgroup: ENOENT unless the interface is in the group (its `all` and cloner groups included). */
  delete(ifp: Interface, group: string): void {
    const i = ifp.groups.indexOf(group);
    if (i < 0) fail('ENOENT', `${ifp.name} is not in group ${group}`);
    ifp.groups.splice(i, 1);
    this.leave(ifp, group);
  }

  /** SIOCGIFGMEMB (if_getgroupmembers): the members in join order; ENOENT for no such group. */
  members(group: string): readonly Interface[] {
    return this.need(group).members;
  }

  /** SIOCGIFGATTR (if_getgroupattribs): ENOENT for no such group. */
  carpDemotion(group: string): number {
    return this.need(group).carpDemoted;
  }

  /**
   * SIOCSIFGATTR (if_setgroupattribs): adds `delta` to the group's carp demotion counter;
   * EINVAL when the sum leaves 0..255. (Each member's driver is told too; no modelled driver
   * listens: carp(4) is not modelled.)
   */
  demote(group: string, delta: number): void {
    const g = this.need(group);
    const sum = g.carpDemoted + delta;
    if (sum > CARP_DEMOTE_MAX || sum < 0) fail('EINVAL', `carp demotion ${g.carpDemoted} + ${delta} out of 0..${CARP_DEMOTE_MAX}`);
    g.carpDemoted = sum;
  }

  /**
   * if_group_egress_build: every member leaves `egress`, then the interface of each route at table
   * 0's 0.0.0.0/0, then at ::/0 (rtable_lookup with RTP_ANY and rtable_iterate: down routes too)
   * joins it again, at the end of both lists; an interface if_get no longer finds is skipped.
   */
  rebuildEgress(k: Pick<KernelContext, 'table' | 'interfaceByIndex'>): void {
    for (const ifp of [...this.byName.get(IFG_EGRESS)?.members ?? []]) this.delete(ifp, IFG_EGRESS);
    const table0 = k.table(0);
    if (!table0) return;
    for (const [af, width] of [['inet', 4], ['inet6', 16]] as const) {
      for (const rt of table0.routes.routesAt(af, new Uint8Array(width), 0)) {
        const ifp = rt.ifp;
        if (k.interfaceByIndex(ifp.index) === ifp && !ifp.groups.includes(IFG_EGRESS)) this.add(ifp, IFG_EGRESS);
      }
    }
  }

  /** Every group with its members' indexes in join order and its counter, for a saved state. */
  snapshot(): GroupTuple[] {
    return [...this.byName].map(([name, g]) => [name, g.members.map((m) => m.index), g.carpDemoted]);
  }

  /**
   * Restores the groups of `interfaces` (their own lists already restored): from a saved state's
   * tuples, or, for a state saved before they were kept, in index order with no demotion. Throws
   * when the tuples disagree with the interfaces' lists.
   */
  restore(interfaces: readonly Interface[], saved: readonly GroupTuple[] | undefined): void {
    this.byName.clear();
    if (!saved) {
      for (const ifp of [...interfaces].sort((a, b) => a.index - b.index)) this.attach(ifp);
      return;
    }
    const byIndex = new Map(interfaces.map((i) => [i.index, i]));
    for (const [name, indexes, carpDemoted] of saved) {
      if (typeof name !== 'string' || !Array.isArray(indexes) || !Number.isInteger(carpDemoted) || carpDemoted < 0 || carpDemoted > CARP_DEMOTE_MAX) {
        throw new Error(`inconsistent kernel state: group ${String(name)}`);
      }
      const members = indexes.map((i) => byIndex.get(i));
      if (members.length === 0 || members.some((m) => !m || !m.groups.includes(name)) || new Set(indexes).size !== indexes.length) {
        throw new Error(`inconsistent kernel state: members of group ${name}`);
      }
      this.byName.set(name, { members: members as Interface[], carpDemoted });
    }
    for (const ifp of interfaces) {
      for (const g of ifp.groups) {
        if (!this.byName.get(g)?.members.includes(ifp)) throw new Error(`inconsistent kernel state: ${ifp.name} not among group ${g}'s members`);
      }
    }
  }

  private join(ifp: Interface, group: string): void {
    let g = this.byName.get(group);
    if (!g) this.byName.set(group, (g = { members: [], carpDemoted: 0 }));
    g.members.push(ifp);
  }

  private leave(ifp: Interface, group: string): void {
    const g = this.byName.get(group);
    if (!g) return;
    const i = g.members.indexOf(ifp);
    if (i >= 0) g.members.splice(i, 1);
    if (g.members.length === 0) this.byName.delete(group);
  }

  private need(group: string): Group {
    return this.byName.get(group) ?? fail('ENOENT', `no group ${group}`);
  }
}
