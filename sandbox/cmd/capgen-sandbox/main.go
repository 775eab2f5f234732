// Command capgen-sandbox runs capgen's sandbox by hand: an OAuth2
// authorization server and a simulator of one provider's API, both on
// loopback. It prints the endpoints and the client's credentials, then
// serves until interrupted.
//
//	capgen-sandbox -spec hubspot -grant crm.objects.contacts.read
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/capgen/capgen/sandbox"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run starts the sandbox, prints its settings and serves until ctx ends.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("capgen-sandbox", flag.ContinueOnError)
	fs.SetOutput(stderr)
	spec := fs.String("spec", "", "bundled provider name (such as hubspot) or spec file path")
	vocabulary := fs.String("vocabulary", "", "capability vocabulary file for a spec file "+
		"(default: the bundled one)")
	addr := fs.String("addr", "127.0.0.1:0", "loopback address of the provider simulator")
	authAddr := fs.String("auth-addr", "127.0.0.1:0", "loopback address of the authorization server")
	grant := fs.String("grant", "all", "what the scripted user grants: all, none, or a "+
		"comma-separated list of scopes")
	redirect := fs.String("redirect", sandbox.DefaultRedirectURL, "the client's redirect URL")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *spec == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "capgen-sandbox: give -spec NAME|PATH and no other arguments")
		return 2
	}

	opts := []sandbox.Option{
		sandbox.WithAddrs(*addr, *authAddr),
		sandbox.WithConsent(consentOf(*grant)),
		sandbox.WithRedirectURL(*redirect),
	}
	if *vocabulary != "" {
		opts = append(opts, sandbox.WithVocabulary(*vocabulary))
	}
	sb, err := sandbox.New(*spec, opts...)
	if err != nil {
		fmt.Fprintln(stderr, "capgen-sandbox:", err)
		return 1
	}
	defer sb.Close()

	printSettings(stdout, sb)
	<-ctx.Done()
	return 0
}

// consentOf reads the -grant flag.
func consentOf(grant string) sandbox.Consent {
	switch grant {
	case "all":
		return sandbox.GrantAll()
	case "none":
		return sandbox.DenyAll()
	}
	return sandbox.GrantOnly(strings.FieldsFunc(grant, func(r rune) bool {
		return r == ',' || r == ' '
	})...)
}

// printSettings prints what a client needs. The client secret is printed on
// purpose: it is random for this run and only valid against this sandbox.
func printSettings(w io.Writer, sb *sandbox.Sandbox) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, row := range [][2]string{
		{"provider", sb.Provider},
		{"api base URL", sb.BaseURL},
		{"authorize URL", sb.AuthURL},
		{"token URL", sb.TokenURL},
		{"introspect URL", sb.IntrospectURL},
		{"revoke URL", sb.RevokeURL},
		{"client ID", sb.ClientID},
		{"client secret", sb.ClientSecret},
		{"redirect URL", sb.RedirectURL},
	} {
		fmt.Fprintf(tw, "%s\t%s\n", row[0], row[1])
	}
	tw.Flush()
	fmt.Fprintln(w, "Serving until interrupted (Ctrl-C).")
}
