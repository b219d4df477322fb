import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requireTool } from "./require-tool.js";

/**
 * A small real tmpfs (a disk that fills up): needs root, as the suite runs here and in CI.
 * `fill` takes all but `leave` bytes with a filler file; `free` deletes it.
 */
export class SmallDisk {
  private constructor(readonly dir: string) {}

  static mount(sizeKiB = 64): SmallDisk {
    const dir = mkdtempSync(join(tmpdir(), "mde-tmpfs-"));
    execFileSync(requireTool("mount"), ["-t", "tmpfs", "-o", `size=${sizeKiB}k,mode=0700`, "tmpfs", dir], { stdio: ["ignore", "ignore", "pipe"] });
    return new SmallDisk(dir);
  }

  /** Fills the disk with a filler file of as many bytes as fit, then gives back `leave` bytes of it. */
  fill(leave: number): void {
    const filler = join(this.dir, "filler");
    const page = Buffer.alloc(4096, 0x78);
    let size = 0;
    try {
      for (;;) {
        writeFileSync(filler, page, { flag: "a" });
        size += page.length;
      }
    } catch {
      // ENOSPC: full.
    }
    rmSync(filler);
    writeFileSync(filler, Buffer.alloc(Math.max(0, size - leave), 0x78));
  }

  /** Deletes the filler: the space it held is free again. */
  free(): void {
    rmSync(join(this.dir, "filler"), { force: true });
  }

  unmount(): void {
    execFileSync(requireTool("umount"), [this.dir], { stdio: ["ignore", "ignore", "pipe"] });
    rmSync(this.dir, { recursive: true, force: true });
  }
}
