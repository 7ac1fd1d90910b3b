/**
 * `rtsock device open|close NAME`: an rtsock extension, no OpenBSD command. The simulated
 * machine has no /dev, and a tun(4)/tap(4) interface's link follows whether a process holds
 * /dev/NAME open; this stands in for that process's open(2) and close(2), which the state file
 * remembers between invocations.
 */
import { ERRNO, RtsockErrno, strerror } from '../kernel/errno.js';
import { emit } from './io.js';
import { withKernel } from './state/session.js';

const USAGE = 'usage: rtsock device open | close name\n';

export async function deviceCommand(argv: string[]): Promise<number> {
  const [verb, name, ...extra] = argv;
  if ((verb !== 'open' && verb !== 'close') || !name || extra.length > 0) {
    emit(2, USAGE);
    return 1;
  }
  const failure = await withKernel((s) => {
    try {
      // crw------- root: a non-root open(2) fails on the node's mode before the driver runs.
      if (s.uid !== 0) return ERRNO.EACCES;
      if (verb === 'open') s.kernel.ifconfig.openDevice(name);
      else s.kernel.ifconfig.closeDevice(name);
      s.changed = true;
      return 0;
    } catch (e) {
      if (e instanceof RtsockErrno) return e.errno;
      throw e;
    }
  });
  if (failure === 0) return 0;
  emit(2, `rtsock device: ${verb} /dev/${name}: ${strerror(failure)}\n`);
  return 1;
}
