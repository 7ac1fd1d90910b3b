/**
 * vlan(4)'s driver as current OpenBSD runs it (if_vlan.c 1.222): a vlan is configured (tag,
 * parent, address) while stopped, and starts when SIOCSIFFLAGS finds it IFF_UP but not
 * IFF_RUNNING (vlan_up: the parent must exist, take its MTU and not carry the tag already;
 * IFF_SIMPLEX from the parent, IFF_RUNNING, the parent's link state), and stops when it finds
 * it IFF_RUNNING but not IFF_UP (vlan_down). While running, its link follows the parent's
 * (vlan_link_hook on the parent's link-state hooks).
 *
 * A link state change here does what if_link_state_change does: the vlan's link-state task is
 * queued ({@link VlanDriver.takeLinkTasks}), to announce it (RTM_IFINFO) and bring its routes
 * along once the ioctl is over. Which interfaces use this is data (InterfaceKind.vlanDriver):
 * 4.9's vlan keeps the model's simpler one (Known gaps).
 */
import { EVL_ENCAPLEN, EVL_VLID_MAX, EVL_VLID_MIN, IFF_RUNNING, IFF_SIMPLEX, IFF_UP, IFT_ETHER, LINK_STATE_DOWN } from './constants.js';
import { fail } from './errno.js';
import type { Interface } from './interface.js';

export interface VlanHost {
  byName(name: string): Interface | undefined;
  interfaces(): Iterable<Interface>;
}

/** sc_tag: the model keeps -1 for no tag, the driver 0 (EVL_VLID_NULL). */
const tagOf = (v: Interface): number => Math.max(0, v.vnetid);
const ZERO_LLADDR = new Uint8Array(6);

/**
 * The hard MTU vlan_up gives a vlan on `parent`: the parent's if_hardmtu, EVL_ENCAPLEN less for a
 * parent without IFCAP_VLAN_MTU (a vlan, an svlan, a tap).
 */
export function hardMtuOn(parent: Interface): number {
  return parent.hardMtu - (parent.kind.vlanMtu ? 0 : EVL_ENCAPLEN);
}

export class VlanDriver {
  /** Vlans whose link-state task is queued, in queueing order (a Set: task_add queues a task once). */
  private readonly linkTasks = new Set<Interface>();

  constructor(private readonly host: VlanHost) {}

  /** The queued link-state tasks, taken to be run (each an RTM_IFINFO and rt_if_track). */
  takeLinkTasks(): Interface[] {
    const tasks = [...this.linkTasks];
    this.linkTasks.clear();
    return tasks;
  }

  /**
   * The driver's part of SIOCSIFFLAGS, run with the flags already set (if.c ifioctl restores
   * them if it fails): IFF_UP without IFF_RUNNING starts the vlan, IFF_RUNNING without IFF_UP
   * stops it; otherwise nothing (ENETRESET, then vlan_iff: nothing the model keeps).
   */
  flagsChanged(ifp: Interface): void {
    const running = (ifp.flags & IFF_RUNNING) !== 0;
    if (ifp.isUp && !running) this.up(ifp);
    else if (!ifp.isUp && running) this.down(ifp);
  }

  /**
   * vlan_up: ENXIO without a parent, EPROTONOSUPPORT for one that is not Ethernet, ENOBUFS for
   * an MTU above the parent's if_hardmtu (EVL_ENCAPLEN less for a parent without
   * IFCAP_VLAN_MTU: a vlan or a tap), EADDRINUSE when a running vlan of the same type already
   * carries the tag on the parent. The vlan keeps that hard MTU while it runs.
   */
  up(ifp: Interface): void {
    const parent = this.parentOf(ifp) ?? fail('ENXIO', `${ifp.name} has no parent interface`);
    if (parent.type !== IFT_ETHER) fail('EPROTONOSUPPORT', 'parent not Ethernet');
    const hardMtu = hardMtuOn(parent);
    if (ifp.mtu > hardMtu) fail('ENOBUFS', `mtu ${ifp.mtu} above the parent's ${hardMtu}`);
    this.checkInUse(ifp, parent, tagOf(ifp));
    ifp.hardMtu = hardMtu;
    ifp.flags |= (parent.flags & IFF_SIMPLEX) | IFF_RUNNING;
    this.setLink(ifp, parent.linkState);
  }

  /** vlan_down: the link goes down (queued), then IFF_RUNNING and IFF_SIMPLEX go, and the hard MTU is 0xffff again. */
  down(ifp: Interface): void {
    this.setLink(ifp, LINK_STATE_DOWN);
    ifp.flags &= ~(IFF_RUNNING | IFF_SIMPLEX);
    ifp.hardMtu = ifp.kind.mtuMax;
  }

  /**
   * vlan_set_parent: EINVAL for no such interface, EPROTONOSUPPORT for one that is not
   * Ethernet, nothing for the same one, EBUSY while running, EADDRINUSE if a running vlan
   * carries the tag on it; then the parent's address, unless one was set (IFVF_LLADDR).
   * Nothing is announced, and the link stays as it is until vlan_up.
   */
  setParent(ifp: Interface, name: string): void {
    const parent = this.host.byName(name) ?? fail('EINVAL', 'no such parent');
    if (parent.type !== IFT_ETHER) fail('EPROTONOSUPPORT', 'parent not Ethernet');
    if (ifp.parent === parent.name) return;
    if (ifp.flags & IFF_RUNNING) fail('EBUSY', 'vlan running');
    this.checkInUse(ifp, parent, tagOf(ifp));
    ifp.parent = parent.name;
    if (!ifp.lladdrFixed) ifp.lladdr = parent.lladdr.slice();
  }

  /** vlan_del_parent: EBUSY while running; the address goes back to zeros unless one was set. */
  deleteParent(ifp: Interface): void {
    if (ifp.flags & IFF_RUNNING) fail('EBUSY', 'vlan running');
    ifp.parent = '';
    if (!ifp.lladdrFixed) ifp.lladdr = ZERO_LLADDR.slice();
  }

  /**
   * SIOCSVNETID (`tag` 1..4094, the same tag is nothing) and SIOCDVNETID (`tag` 0, always run):
   * vlan_set_vnetid. A running vlan whose link is up takes it down and back around the change
   * — one queued task, which announces the link as it ends, up, also when the tag is in use on
   * the parent (EADDRINUSE; a vlan with no tag finds itself there on SIOCDVNETID).
   */
  setVnetid(ifp: Interface, tag: number): void {
    if (tag !== 0 && (!Number.isInteger(tag) || tag < EVL_VLID_MIN || tag > EVL_VLID_MAX)) fail('EINVAL', 'vnetid');
    if (tag !== 0 && tag === tagOf(ifp)) return;
    const link = ifp.linkState;
    const bounce = (ifp.flags & IFF_RUNNING) !== 0 && ifp.linkIsUp;
    if (bounce) this.setLink(ifp, LINK_STATE_DOWN);
    try {
      const parent = this.parentOf(ifp);
      if (parent) this.checkInUse(ifp, parent, tag);
      ifp.vnetid = tag === 0 ? -1 : tag;
    } finally {
      if (bounce) this.setLink(ifp, link);
    }
  }

  /**
   * vlan_setlladdr (SIOCSIFLLADDR): an address that is not all zeros is the vlan's own from now
   * on (IFVF_LLADDR); all zeros clears that. The address the vlan ends with is the request's
   * either way: ifioctl's if_setlladdr runs after the driver's (which put the parent's there).
   */
  setLladdr(ifp: Interface, lladdr: Uint8Array): void {
    ifp.lladdrFixed = lladdr.some((b) => b !== 0);
  }

  /**
   * vlan_link_hook, on the parent's if_linkstate (its link task, if_up and if_down): each
   * running vlan on it takes the parent's link state; a change queues the vlan's task.
   */
  parentLinkChanged(parent: Interface): void {
    for (const v of this.host.interfaces()) {
      if (v.kind.vlanDriver && v !== parent && v.parent === parent.name && v.flags & IFF_RUNNING) this.setLink(v, parent.linkState);
    }
  }

  /**
   * vlan_ifdetach, run by the parent's if_detach: a running vlan goes down (vlan_down, its task
   * left queued) and loses IFF_UP without if_down; every vlan on the parent loses it.
   */
  parentDetached(v: Interface): void {
    if (v.flags & IFF_RUNNING) {
      this.down(v);
      v.flags &= ~IFF_UP;
    }
    v.parent = '';
  }

  private parentOf(ifp: Interface): Interface | undefined {
    return ifp.parent === '' ? undefined : this.host.byName(ifp.parent);
  }

  /**
   * vlan_inuse: a running vlan of `ifp`'s type (vlan or svlan: each has its own tag table, which
   * holds running vlans only) on `parent` with `tag`.
   */
  private checkInUse(ifp: Interface, parent: Interface, tag: number): void {
    for (const v of this.host.interfaces()) {
      if (v.kind.vlanDriver && v.kind.encap === ifp.kind.encap && v.flags & IFF_RUNNING && v.parent === parent.name && tagOf(v) === tag) {
        fail('EADDRINUSE', `vnetid ${tag} in use on ${parent.name}`);
      }
    }
  }

  /** vlan_link_state: a new link state queues the link-state task (if_link_state_change). */
  private setLink(ifp: Interface, state: number): void {
    if (ifp.linkState === state) return;
    ifp.linkState = state;
    this.linkTasks.add(ifp);
  }
}
