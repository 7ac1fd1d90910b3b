/**
 * `rtsock device [-T rtable] open|close NAME`: an rtsock extension, no OpenBSD command. The
 * simulated machine has no /dev, and a tun(4)/tap(4) interface's link follows whether a process
 * holds /dev/NAME open; this stands in for that process's open(2) and close(2), which the state
 * file remembers between invocations. `-T` runs it in routing table `rtable`, as `route -T
 * rtable exec` would (setrtable(2): the table must exist): current's open clones a missing
 * interface into that table's rdomain.
 */
import { RT_TABLEID_MAX } from '../kernel/constants.js';
import { ERRNO, RtsockErrno, strerror } from '../kernel/errno.js';
import { emit } from './io.js';
import { withKernel } from './state/session.js';

const USAGE = 'usage: rtsock device [-T rtable] open | close name\n';

export async function deviceCommand(argv: string[]): Promise<number> {
  let rtable = 0;
  let args = argv;
  if (args[0] === '-T') {
    const t = args[1] ?? '';
    if (!/^\d+$/.test(t) || Number(t) > RT_TABLEID_MAX) {
      emit(2, `rtsock device: ${t || '-T'}: invalid routing table\n${USAGE}`);
      return 1;
    }
    rtable = Number(t);
    args = args.slice(2);
  }
  const [verb, name, ...extra] = args;
  if ((verb !== 'open' && verb !== 'close') || !name || extra.length > 0) {
    emit(2, USAGE);
    return 1;
  }
  let what = `${verb} /dev/${name}`;
  const failure = await withKernel((s) => {
    try {
      // setrtable(2) refuses a table that does not exist.
      if (!s.kernel.tableExists(rtable)) {
        what = `setrtable ${rtable}`;
        return ERRNO.EINVAL;
      }
      // crw------- root: a non-root open(2) fails on the node's mode before the driver runs.
      if (s.uid !== 0) return ERRNO.EACCES;
      if (verb === 'open') s.kernel.ifconfig.openDevice(name, { rtable });
      else s.kernel.ifconfig.closeDevice(name);
      s.changed = true;
      return 0;
    } catch (e) {
      if (e instanceof RtsockErrno) return e.errno;
      throw e;
    }
  });
  if (failure === 0) return 0;
  emit(2, `rtsock device: ${what}: ${strerror(failure)}\n`);
  return 1;
}
