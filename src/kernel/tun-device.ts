/**
 * The character-device side of tun(4) and tap(4): opening and closing /dev/tunN or /dev/tapN,
 * which is what brings the interface's link up and down (InterfaceKind.device says how, per
 * dialect). Current from if_tun.c 1.252 (tun_dev_open, tun_dev_close, tun_link_state); 4.9 from
 * 1.104 (tunopen, tunclose, tun_link_state, tun_media_status), the nearest stored revision.
 * The model has no descriptors: the device is named by its interface, and the descriptors a
 * destroy leaves open on it (`stranded`) are counted by name.
 */
import { IFF_RUNNING, LINK_STATE_DOWN } from './constants.js';
import { fail, RtsockErrno } from './errno.js';
import { kindNamed, type DeviceKind, type Interface, type InterfaceKind } from './interface.js';

/** What the device needs of ifconfig. */
export interface DeviceHooks {
  readonly kinds: () => readonly InterfaceKind[];
  readonly byName: (name: string) => Interface | undefined;
  /** if_clone_create (IFAN_ARRIVAL) and if_clone_destroy (if_detach, IFAN_DEPARTURE). */
  readonly create: (name: string) => Interface;
  readonly destroy: (name: string) => void;
  /** if_up: IFF_UP, RTM_IFINFO, the routes follow. */
  readonly ifUp: (ifp: Interface) => void;
  /** if_link_state_change: RTM_IFINFO, the routes follow. */
  readonly linkChanged: (ifp: Interface) => void;
  /** rtable_l2: the rdomain of table `rtable` (0 for a table that does not exist). */
  readonly rdomainOfTable: (rtable: number) => number;
  /** if_setrdomain (SIOCSIFRDOMAIN's move). */
  readonly setRdomain: (ifp: Interface, rdomain: number) => void;
}

export class TunDevices {
  /**
   * Descriptors still open on a device whose interface was destroyed under them, by device
   * name (DeviceKind.destroyRevokes says on what: a dead vnode, or the device itself).
   */
  readonly stranded = new Map<string, number>();

  constructor(private readonly h: DeviceHooks) {}

  /**
   * open(2) of the device by a process in routing table `rtable`. A missing interface is cloned
   * first — in current, into that table's rdomain (DeviceKind.clonesInOpenerRdomain) — and then
   * does not outlive the close (TUN_STAYUP cleared); an open one is EBUSY. A name no device
   * driver of the dialect has is ENXIO (the model's answer: there is no such device).
   */
  open(name: string, rtable = 0): void {
    const device = this.deviceOf(name) ?? fail('ENXIO', `${name} is no tun/tap device`);
    let ifp = this.h.byName(name);
    const created = !ifp;
    if (!ifp) {
      ifp = this.h.create(name);
      const rdomain = device.clonesInOpenerRdomain ? this.h.rdomainOfTable(rtable) : 0;
      if (rdomain !== 0) {
        // if_clone_create ignores if_setrdomain's error.
        try {
          this.h.setRdomain(ifp, rdomain);
        } catch (e) {
          if (!(e instanceof RtsockErrno)) throw e;
        }
      }
    }
    if (ifp.deviceOpen) fail('EBUSY', `${name} is open`);
    ifp.deviceOpen = true;
    if (created) ifp.stayUp = false;
    if (device.openUp === 'flags') ifp.markUp();
    else ifp.flags |= IFF_RUNNING;
    this.linkState(ifp, device.openLinkState);
    if (device.openUp === 'if_up') this.h.ifUp(ifp);
  }

  /**
   * close(2) of the device: a descriptor a destroy stranded first (closeStranded), else ENXIO
   * unless it is open (current tun_get finds no softc with that dev), else the driver's close.
   */
  close(name: string): void {
    const stranded = this.stranded.get(name) ?? 0;
    if (stranded > 0) {
      this.closeStranded(name, stranded);
      return;
    }
    const ifp = this.h.byName(name);
    const device = ifp?.kind.device;
    if (!ifp || !device || !ifp.deviceOpen) fail('ENXIO', `${name} is not open`);
    this.shut(ifp, device);
  }

  /**
   * tun_clone_destroy of an interface whose device is open, after if_clone_destroy's if_down
   * and before if_detach. Current (1.252): TUN_DEAD, then VOP_REVOKE; vclean (vfs_subr.c) closes
   * the vnode, so tun_dev_close runs on the dead tun — IFF_UP|IFF_RUNNING cleared, nothing
   * announced, and TUN_DEAD skips the link change and the destroy — and the process is left a
   * descriptor on a dead vnode. 4.9 (1.104) closes nothing: the descriptor stays on the device.
   * Either way the device is no longer open, and a later open clones a fresh interface.
   */
  destroyed(ifp: Interface): void {
    const device = ifp.kind.device;
    if (!device || !ifp.deviceOpen) return;
    ifp.deviceOpen = false;
    if (device.destroyRevokes) ifp.flags &= ~device.closeClears;
    this.stranded.set(ifp.name, (this.stranded.get(ifp.name) ?? 0) + 1);
  }

  /**
   * close(2) of a stranded descriptor (the model, having no descriptors, closes those before
   * the device's current open). Current: its vnode is dead, whose close does nothing and
   * succeeds (dead_vnops.c 1.43: vop_close is nullop). 4.9: spec_close calls the driver on the
   * vnode's last close only, and tunclose looks the unit up (tun_lookup): ENXIO if no tun has
   * it, else it closes whichever tun has it now — one `ifconfig create` made included.
   */
  private closeStranded(name: string, stranded: number): void {
    if (stranded > 1) this.stranded.set(name, stranded - 1);
    else this.stranded.delete(name);
    const device = this.deviceOf(name)!;
    if (device.destroyRevokes) return;
    const ifp = this.h.byName(name);
    if (stranded > 1 || ifp?.deviceOpen) return;
    if (!ifp) fail('ENXIO', `no ${name} behind /dev/${name}`);
    this.shut(ifp, device);
  }

  /**
   * The driver's close (4.9 tunclose, current tun_dev_close): flags cleared directly (no
   * message of their own); then the link goes down (only when the interface stays, in current)
   * and an interface the open created is destroyed.
   */
  private shut(ifp: Interface, device: DeviceKind): void {
    ifp.deviceOpen = false;
    ifp.flags &= ~device.closeClears;
    const destroy = !ifp.stayUp;
    if (device.closeLinkDownFirst || !destroy) this.linkState(ifp, LINK_STATE_DOWN);
    if (destroy) this.h.destroy(ifp.name);
  }

  /**
   * SIOCGIFMEDIA's side effect where the driver has one (4.9 tun_media_status: tun_link_state
   * first, so a never-opened tun's UNKNOWN link becomes DOWN, announced).
   */
  settleLink(ifp: Interface): void {
    const device = ifp.kind.device;
    if (device?.mediaSettlesLink) this.linkState(ifp, ifp.deviceOpen ? device.openLinkState : LINK_STATE_DOWN);
  }

  /** tun_link_state: announced (and the routes follow) only when the state changes. */
  private linkState(ifp: Interface, state: number): void {
    if (ifp.linkState === state) return;
    ifp.linkState = state;
    this.h.linkChanged(ifp);
  }

  private deviceOf(name: string): DeviceKind | undefined {
    return kindNamed(this.h.kinds(), name)?.device;
  }
}
