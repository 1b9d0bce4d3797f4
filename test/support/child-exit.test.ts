/** The exit helpers the process tests rely on: a late look at a signalled child must not wait for ever. */
import { spawn } from 'node:child_process';
import { describeExit, hasExited, whenExited } from './child-exit';

const idle = () => spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });

describe('child exit helpers', () => {
  it('see a child killed by a signal after its exit event has already fired', async () => {
    const child = idle();
    expect(hasExited(child)).toBe(false);
    expect(describeExit(child)).toBe('running');
    const fired = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await fired;
    // The case that hung the crash-recovery test: exitCode stays null, the event is gone.
    expect(child.exitCode).toBeNull();
    expect(hasExited(child)).toBe(true);
    expect(describeExit(child)).toBe('signal SIGKILL');
    await expect(whenExited(child)).resolves.toBeUndefined();
  });

  it('wait for a child that is still running, and name its exit code', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => process.exit(3), 200)'], { stdio: 'ignore' });
    await whenExited(child);
    expect(describeExit(child)).toBe('code 3');
  });
});
