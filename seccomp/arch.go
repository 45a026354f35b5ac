package seccomp

import (
	"runtime"
	"sort"
)

type sysEntry struct {
	name string
	nr   uint32
}

// archInfo describes one seccomp architecture. table names the syscall
// table; bits32 archs pass 32-bit arguments; bigEndian changes where the
// halves of a 64-bit argument sit in seccomp_data.
type archInfo struct {
	audit     uint32
	table     string
	bits32    bool
	bigEndian bool
	x32       bool // x86_64's x32 ABI: same audit arch, nr | 0x40000000
}

// x32SyscallBit marks x32 ABI syscalls on x86_64.
const x32SyscallBit = 0x40000000

// archs are the SCMP_ARCH_* names runc accepts. AUDIT_ARCH_* values from
// linux/audit.h. The MIPS n32 ABIs and 31-bit s390 have no table in
// golang.org/x/sys: they are accepted (runc accepts them), their syscall
// rules are skipped and only the default action applies (docs/seccomp.md).
var archs = map[string]archInfo{
	"SCMP_ARCH_X86":         {audit: 0x40000003, table: "x86", bits32: true},
	"SCMP_ARCH_X86_64":      {audit: 0xC000003E, table: "x86_64"},
	"SCMP_ARCH_X32":         {audit: 0xC000003E, table: "x86_64", x32: true},
	"SCMP_ARCH_ARM":         {audit: 0x40000028, table: "arm", bits32: true},
	"SCMP_ARCH_AARCH64":     {audit: 0xC00000B7, table: "aarch64"},
	"SCMP_ARCH_MIPS":        {audit: 0x00000008, table: "mips", bits32: true, bigEndian: true},
	"SCMP_ARCH_MIPSEL":      {audit: 0x40000008, table: "mipsel", bits32: true},
	"SCMP_ARCH_MIPS64":      {audit: 0x80000008, table: "mips64", bigEndian: true},
	"SCMP_ARCH_MIPSEL64":    {audit: 0xC0000008, table: "mipsel64"},
	"SCMP_ARCH_MIPS64N32":   {audit: 0xA0000008, bits32: true, bigEndian: true},
	"SCMP_ARCH_MIPSEL64N32": {audit: 0xE0000008, bits32: true},
	"SCMP_ARCH_PPC":         {audit: 0x00000014, table: "ppc", bits32: true, bigEndian: true},
	"SCMP_ARCH_PPC64":       {audit: 0x80000015, table: "ppc64", bigEndian: true},
	"SCMP_ARCH_PPC64LE":     {audit: 0xC0000015, table: "ppc64le"},
	"SCMP_ARCH_S390":        {audit: 0x00000016, bits32: true, bigEndian: true},
	"SCMP_ARCH_S390X":       {audit: 0x80000016, table: "s390x", bigEndian: true},
	"SCMP_ARCH_RISCV64":     {audit: 0xC00000F3, table: "riscv64"},
	"SCMP_ARCH_LOONGARCH64": {audit: 0xC0000102, table: "loongarch64"},
}

// nativeArch is the architecture of this build, used when a profile lists
// none (as libseccomp does).
func nativeArch() string {
	return map[string]string{
		"amd64": "SCMP_ARCH_X86_64", "386": "SCMP_ARCH_X86", "arm64": "SCMP_ARCH_AARCH64", "arm": "SCMP_ARCH_ARM",
		"ppc64le": "SCMP_ARCH_PPC64LE", "s390x": "SCMP_ARCH_S390X", "riscv64": "SCMP_ARCH_RISCV64",
		"loong64": "SCMP_ARCH_LOONGARCH64", "mips64le": "SCMP_ARCH_MIPSEL64",
	}[runtime.GOARCH]
}

// lookup finds a syscall number on an arch; ok is false when the arch has
// no such syscall (the rule is then skipped, as runc does).
func (a archInfo) lookup(name string) (uint32, bool) {
	table := syscallTables[a.table]
	i := sort.Search(len(table), func(i int) bool { return table[i].name >= name })
	if i == len(table) || table[i].name != name {
		return 0, false
	}
	nr := table[i].nr
	if a.x32 {
		nr |= x32SyscallBit
	}
	return nr, true
}

// Archs lists the architecture names Compile accepts.
func Archs() []string {
	out := make([]string, 0, len(archs))
	for n := range archs {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
