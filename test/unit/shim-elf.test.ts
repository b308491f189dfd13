// The native shims as files: what any Linux of their architecture needs to load them, read from their ELF headers. An
// arm64 kernel may use 4 KB, 16 KB (Raspberry Pi 5, Apple silicon under Asahi) or 64 KB pages (some server kernels): a
// segment laid out for 4 KB pages alone would not load there, and qemu (the shim tests' arm64 machine) uses 4 KB.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIST = join(__dirname, '..', '..', '..', 'dist');
const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const PT_GNU_STACK = 0x6474e551;
const PF_X = 1;
const PF_W = 2;

interface Segment {
  type: number;
  flags: number;
  offset: bigint;
  vaddr: bigint;
  filesz: bigint;
  memsz: bigint;
  align: bigint;
}

function readElf(file: string): { type: number; machine: number; entry: bigint; segments: Segment[] } {
  const b = readFileSync(file);
  assert.equal(b.subarray(0, 4).toString('latin1'), '\x7fELF', `${file} is not an ELF file`);
  assert.equal(b[4], 2, 'a 64-bit program');
  assert.equal(b[5], 1, 'little-endian');
  const phoff = Number(b.readBigUInt64LE(32));
  const phentsize = b.readUInt16LE(54);
  const segments: Segment[] = [];
  for (let i = 0, o = phoff; i < b.readUInt16LE(56); i++, o += phentsize) {
    segments.push({
      type: b.readUInt32LE(o),
      flags: b.readUInt32LE(o + 4),
      offset: b.readBigUInt64LE(o + 8),
      vaddr: b.readBigUInt64LE(o + 16),
      filesz: b.readBigUInt64LE(o + 32),
      memsz: b.readBigUInt64LE(o + 40),
      align: b.readBigUInt64LE(o + 48),
    });
  }
  return { type: b.readUInt16LE(16), machine: b.readUInt16LE(18), entry: b.readBigUInt64LE(24), segments };
}

describe('native PATH shims: what a Linux of their architecture needs to load them', () => {
  for (const { arch, machine, page } of [
    { arch: 'x64', machine: 62, page: 4096n },
    // The largest page size an arm64 Linux kernel can use.
    { arch: 'arm64', machine: 183, page: 65536n },
  ]) {
    const file = join(DIST, `shim-linux-${arch}`);
    it(`shim-linux-${arch}: a static ${arch} program, its segments loadable with ${page / 1024n} KB pages, none writable and executable`, function () {
      if (!existsSync(file)) {
        if (process.env.CI) throw new Error(`${file} is not built`);
        return this.skip();
      }
      const elf = readElf(file);
      assert.equal(elf.type, 2, 'ET_EXEC: not position-dependent on a loader');
      assert.equal(elf.machine, machine);
      assert.deepEqual(elf.segments.filter((s) => s.type === PT_INTERP || s.type === PT_DYNAMIC), [], 'no loader, no libraries');
      const loads = elf.segments.filter((s) => s.type === PT_LOAD);
      assert.ok(loads.length >= 1);
      for (const s of loads) {
        assert.ok(s.align >= page, `a segment aligned to ${s.align}, less than a ${page}-byte page`);
        assert.equal(s.offset % page, s.vaddr % page, `offset 0x${s.offset.toString(16)} and address 0x${s.vaddr.toString(16)} differ within a page`);
        assert.ok(s.memsz >= s.filesz);
        assert.ok(!(s.flags & PF_W && s.flags & PF_X), 'a segment both writable and executable');
      }
      // Segments do not share a page of that size with different permissions.
      const pages = loads.map((s) => ({ from: s.vaddr - (s.vaddr % page), to: s.vaddr + s.memsz, flags: s.flags }));
      for (const a of pages) for (const b of pages) if (a !== b && a.flags !== b.flags) assert.ok(a.to <= b.from || b.to <= a.from, `segments with other permissions share a ${page}-byte page`);
      assert.ok(loads.some((s) => s.flags & PF_X && elf.entry >= s.vaddr && elf.entry < s.vaddr + s.filesz), 'the entry point is in an executable segment');
      const stack = elf.segments.find((s) => s.type === PT_GNU_STACK);
      assert.ok(stack && !(stack.flags & PF_X), 'a stack that is not executable');
    });
  }
});
