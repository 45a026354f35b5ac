package main

import (
	"fmt"

	"github.com/urfave/cli/v2"
)

// manCommand prints vessel(8) in roff, generated from the same flags and
// help texts as --help (make man). Hidden: it is a build tool.
var manCommand = &cli.Command{
	Name:   "generate-man",
	Hidden: true,
	Usage:  "print the vessel(8) manual page",
	Action: func(ctx *cli.Context) error {
		page, err := ctx.App.ToMan()
		if err != nil {
			return err
		}
		fmt.Print(page)
		return nil
	},
}
