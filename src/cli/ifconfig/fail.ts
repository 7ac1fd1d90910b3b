/** How ifconfig ends early: the text it prints on stderr (err/errx/usage), exit status 1. */
export class Fail extends Error {
  constructor(readonly text: string) {
    super(text);
  }
}
