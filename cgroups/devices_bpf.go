package cgroups

import (
	"errors"
	"fmt"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/link"
	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// Kernel constants of struct bpf_cgroup_dev_ctx (linux/bpf.h).
const (
	bpfDevBlock = 1
	bpfDevChar  = 2
	accMknod    = 1
	accRead     = 2
	accWrite    = 4
)

// DeviceProgram builds a BPF_PROG_TYPE_CGROUP_DEVICE program with the
// semantics of the v1 device list: the rules are tried from the last to
// the first, the first that matches type, major, minor and covers the
// whole requested access decides; nothing matching means deny.
func DeviceProgram(rules []specs.LinuxDeviceCgroup) asm.Instructions {
	insns := asm.Instructions{
		// r2 = device type, r3 = access, r4 = major, r5 = minor
		asm.LoadMem(asm.R2, asm.R1, 0, asm.Word),
		asm.And.Imm32(asm.R2, 0xFFFF),
		asm.LoadMem(asm.R3, asm.R1, 0, asm.Word),
		asm.RSh.Imm32(asm.R3, 16),
		asm.LoadMem(asm.R4, asm.R1, 4, asm.Word),
		asm.LoadMem(asm.R5, asm.R1, 8, asm.Word),
	}
	pending := "" // label the next emitted instruction must carry
	emit := func(ins asm.Instruction) {
		if pending != "" {
			ins = ins.WithSymbol(pending)
			pending = ""
		}
		insns = append(insns, ins)
	}
	for i := len(rules) - 1; i >= 0; i-- {
		r := rules[i]
		next := fmt.Sprintf("rule_%d", i)
		conditional := false
		switch r.Type {
		case "c":
			emit(asm.JNE.Imm(asm.R2, bpfDevChar, next))
			conditional = true
		case "b":
			emit(asm.JNE.Imm(asm.R2, bpfDevBlock, next))
			conditional = true
		}
		if acc := accessMask(r.Access); acc != accMknod|accRead|accWrite {
			emit(asm.Mov.Reg32(asm.R1, asm.R3))
			emit(asm.And.Imm32(asm.R1, int32(^acc&7)))
			emit(asm.JNE.Imm(asm.R1, 0, next))
			conditional = true
		}
		if r.Major != nil && *r.Major >= 0 {
			emit(asm.JNE.Imm(asm.R4, int32(*r.Major), next))
			conditional = true
		}
		if r.Minor != nil && *r.Minor >= 0 {
			emit(asm.JNE.Imm(asm.R5, int32(*r.Minor), next))
			conditional = true
		}
		verdict := int32(0)
		if r.Allow {
			verdict = 1
		}
		emit(asm.Mov.Imm(asm.R0, verdict))
		emit(asm.Return())
		if !conditional {
			// Matches every access: earlier rules can never decide, and
			// the verifier refuses unreachable code.
			return insns
		}
		pending = next
	}
	emit(asm.Mov.Imm(asm.R0, 0))
	emit(asm.Return())
	return insns
}

func accessMask(access string) int32 {
	if access == "" {
		return accMknod | accRead | accWrite
	}
	var m int32
	for _, c := range access {
		switch c {
		case 'm':
			m |= accMknod
		case 'r':
			m |= accRead
		case 'w':
			m |= accWrite
		}
	}
	return m
}

// setDevicesBPF loads the program and attaches it to the cgroup, replacing
// the one vessel attached before in one step (BPF_F_REPLACE), so there is
// no moment without a filter.
func setDevicesBPF(dir string, rules []specs.LinuxDeviceCgroup) error {
	prog, err := ebpf.NewProgram(&ebpf.ProgramSpec{
		Type: ebpf.CGroupDevice, Instructions: DeviceProgram(rules), License: "Apache-2.0",
	})
	if err != nil {
		return fmt.Errorf("linux.resources.devices: load eBPF device filter: %w", err)
	}
	defer prog.Close()
	cg, err := unix.Open(dir, unix.O_DIRECTORY|unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("linux.resources.devices: %w", err)
	}
	defer unix.Close(cg)
	old, err := link.QueryPrograms(link.QueryOptions{Target: cg, Attach: ebpf.AttachCGroupDevice})
	if err != nil {
		return fmt.Errorf("linux.resources.devices: query device filters: %w", err)
	}
	opts := link.RawAttachProgramOptions{Target: cg, Program: prog, Attach: ebpf.AttachCGroupDevice, Flags: unix.BPF_F_ALLOW_MULTI}
	if len(old.Programs) == 1 {
		// cgroup attachments take the program to replace by descriptor.
		op, err := ebpf.NewProgramFromID(old.Programs[0].ID)
		if err != nil {
			return fmt.Errorf("linux.resources.devices: open old device filter: %w", err)
		}
		defer op.Close()
		opts.Anchor = link.ReplaceProgram(op)
		if err := link.RawAttachProgram(opts); err != nil {
			return fmt.Errorf("linux.resources.devices: replace device filter: %w", err)
		}
		return nil
	}
	if err := link.RawAttachProgram(opts); err != nil {
		return fmt.Errorf("linux.resources.devices: attach device filter: %w", err)
	}
	var errs []error
	for _, p := range old.Programs {
		op, err := ebpf.NewProgramFromID(p.ID)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		errs = append(errs, link.RawDetachProgram(link.RawDetachProgramOptions{Target: cg, Program: op, Attach: ebpf.AttachCGroupDevice}))
		op.Close()
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("linux.resources.devices: remove old device filters: %w", err)
	}
	return nil
}
