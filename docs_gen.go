package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"
)

// docsCommand writes docs/commands/NAME.md for every command from the same
// texts and flags as --help (make docs); a unit test fails when the
// committed pages differ. Hidden: it is a build tool.
var docsCommand = &cli.Command{
	Name:      "generate-docs",
	Hidden:    true,
	Usage:     "write one markdown page per command into DIR",
	ArgsUsage: "DIR",
	Action: func(ctx *cli.Context) error {
		if err := checkArgs(ctx, 1); err != nil {
			return err
		}
		return writeCommandDocs(ctx.App, ctx.Args().First())
	},
}

// commandPages renders each visible command as a markdown page, by file name.
func commandPages(app *cli.App) map[string]string {
	app.Setup() // adds --help and --version, as a run does (once)
	pages := map[string]string{}
	var index strings.Builder
	index.WriteString("# vessel commands\n\nOne page per command, generated from `vessel COMMAND --help`\n" +
		"(`make docs`). Global flags, taken by every command before its name:\n\n")
	writeFlags(&index, app.Flags)
	index.WriteString("\n| command | what it does |\n|---|---|\n")
	for _, c := range app.Commands {
		if c.Hidden || c.Name == "help" {
			continue
		}
		fmt.Fprintf(&index, "| [%s](%s.md) | %s |\n", c.Name, c.Name, c.Usage)
		var b strings.Builder
		fmt.Fprintf(&b, "# vessel %s\n\n%s.\n\n", c.Name, upperFirst(c.Usage))
		fmt.Fprintf(&b, "```\nvessel [global options] %s [options] %s\n```\n\n", c.Name, c.ArgsUsage)
		if len(c.Aliases) > 0 {
			fmt.Fprintf(&b, "Also: `%s`.\n\n", strings.Join(c.Aliases, "`, `"))
		}
		if c.Description != "" {
			fmt.Fprintf(&b, "```\n%s\n```\n\n", strings.TrimSpace(c.Description))
		}
		if len(c.Flags) > 0 {
			b.WriteString("## Options\n\n")
			writeFlags(&b, c.Flags)
		}
		b.WriteString("\nSee [all commands](README.md).\n")
		pages[c.Name+".md"] = b.String()
	}
	pages["README.md"] = index.String()
	return pages
}

func writeFlags(b *strings.Builder, flags []cli.Flag) {
	b.WriteString("| flag | meaning | default |\n|---|---|---|\n")
	for _, f := range flags {
		d, ok := f.(cli.DocGenerationFlag)
		if !ok {
			continue
		}
		if v, ok := f.(cli.VisibleFlag); ok && !v.IsVisible() {
			continue
		}
		names := make([]string, 0, len(f.Names()))
		for _, n := range f.Names() {
			dash := "--"
			if len(n) == 1 {
				dash = "-"
			}
			arg := ""
			if d.TakesValue() {
				arg = " value"
			}
			names = append(names, "`"+dash+n+arg+"`")
		}
		def := d.GetDefaultText()
		if def == "" {
			def = d.GetValue()
		}
		if def == "false" || def == "0" && !d.TakesValue() {
			def = ""
		}
		usage := strings.ReplaceAll(d.GetUsage(), "|", `\|`)
		fmt.Fprintf(b, "| %s | %s | %s |\n", strings.Join(names, ", "), usage, def)
	}
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func writeCommandDocs(app *cli.App, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, page := range commandPages(app) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(page), 0o644); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
	}
	return nil
}
