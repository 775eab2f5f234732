// Command quickstart walks through capgen's runtime against the sandbox, a
// local OAuth2 server and HubSpot simulator, and prints each step:
//
//  1. authorization for feature contact_sync, with the user denying a scope;
//  2. verification failing early, naming the missing scope;
//  3. incremental re-consent for only what is missing;
//  4. typed calls through the feature's handles;
//  5. the access token expiring, and a transparent refresh;
//  6. an admin withdrawing a scope, and the resulting 403.
//
// Run it from capgen's repository with go run ./examples/quickstart.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/capgen/capgen/capability"
	"github.com/capgen/capgen/examples/integrations/hubspot"
	"github.com/capgen/capgen/sandbox"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run is the walk-through; it returns an error only when a step does not
// go as the walk-through says it will.
func run(ctx context.Context, w io.Writer) error {
	sb, err := sandbox.New("hubspot", sandbox.WithConsent(sandbox.Deny("crm.objects.contacts.read")))
	if err != nil {
		return err
	}
	defer sb.Close()
	fmt.Fprintf(w, "sandbox: OAuth2 server at %s, HubSpot simulator at %s\n\n", sb.AuthURL, sb.BaseURL)

	q := quickstart{sb: sb, w: w}
	for _, step := range []func(context.Context) error{
		q.authorizeDenied, q.reconsent, q.call, q.expireAndRefresh, q.withdraw,
	} {
		if err := step(ctx); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	return nil
}

type quickstart struct {
	sb     *sandbox.Sandbox
	w      io.Writer
	source *capability.RefreshingSource
	grant  *hubspot.Grant
	sync   *hubspot.ContactSync
}

// connect authorizes with the scopes of req and verifies the grant.
func (q *quickstart) connect(ctx context.Context, req capability.AuthRequest) error {
	tok, err := q.sb.Authorize(ctx, req.Scopes...)
	if err != nil {
		return err
	}
	q.source = capability.NewRefreshingSource(ctx, q.sb.Config(), tok)
	client := hubspot.NewClient(q.source, capability.WithBaseURL(q.sb.BaseURL))
	q.grant, err = client.GrantFromToken(tok, req.Scopes)
	if err != nil {
		return err
	}
	fmt.Fprintf(q.w, "   granted: %v\n", q.grant.Scopes())
	return nil
}

func (q *quickstart) authorizeDenied(ctx context.Context) error {
	fmt.Fprintln(q.w, "1. Authorize for feature contact_sync; the user unticks crm.objects.contacts.read.")
	req, err := hubspot.AuthRequest(hubspot.FeatureContactSync)
	if err != nil {
		return err
	}
	fmt.Fprintf(q.w, "   asking for %v (PKCE: %v)\n", req.Scopes, req.Verifier != "")
	if err := q.connect(ctx, req); err != nil {
		return err
	}
	fmt.Fprintln(q.w, "2. Verify the grant right after the exchange.")
	_, err = q.grant.ContactSync()
	var e *capability.Error
	if !errors.As(err, &e) || e.Status != 403 {
		return fmt.Errorf("verification should have failed with a 403, got %v", err)
	}
	fmt.Fprintf(q.w, "   refused early: %v\n", err)
	fmt.Fprintf(q.w, "   feature %s, capability %s, missing %v\n", e.Feature, e.Capability, e.Missing)
	return nil
}

func (q *quickstart) reconsent(ctx context.Context) error {
	fmt.Fprintln(q.w, "3. Ask again for what is missing; this time the user consents.")
	req, err := q.grant.IncrementalAuthRequest(hubspot.FeatureContactSync)
	if err != nil {
		return err
	}
	fmt.Fprintf(q.w, "   incremental request: %v\n", req.Scopes)
	q.sb.Consent(sandbox.GrantAll())
	if err := q.connect(ctx, req); err != nil {
		return err
	}
	q.sync, err = q.grant.ContactSync()
	if err != nil {
		return err
	}
	_, companies := q.sync.CompanyRead.Get()
	fmt.Fprintf(q.w, "   verified: contact_sync ready (optional company.read available: %v)\n", companies)
	return nil
}

func (q *quickstart) call(ctx context.Context) error {
	fmt.Fprintln(q.w, "4. Typed calls through the feature's handles.")
	page, err := q.sync.ContactRead.ListContacts(ctx, hubspot.ListContactsParams{Limit: 10})
	if err != nil {
		return err
	}
	fmt.Fprintf(q.w, "   ListContacts: %d contacts, first id %q\n", len(page.Results), page.Results[0].ID)
	return nil
}

func (q *quickstart) expireAndRefresh(ctx context.Context) error {
	fmt.Fprintln(q.w, "5. The access token expires at the provider; the next call refreshes it.")
	q.sb.Expire()
	if _, err := q.sync.ContactRead.ListContacts(ctx, hubspot.ListContactsParams{}); err != nil {
		return err
	}
	fmt.Fprintf(q.w, "   ListContacts succeeded after %d refresh\n", q.source.Refreshes())
	return nil
}

func (q *quickstart) withdraw(ctx context.Context) error {
	fmt.Fprintln(q.w, "6. An admin withdraws crm.objects.contacts.read from the app.")
	q.sb.Withdraw("crm.objects.contacts.read")
	_, err := q.sync.ContactRead.ListContacts(ctx, hubspot.ListContactsParams{})
	var e *capability.Error
	if !errors.As(err, &e) || !errors.Is(err, capability.ErrForbidden) {
		return fmt.Errorf("the call should have failed with a 403, got %v", err)
	}
	fmt.Fprintf(q.w, "   %v\n", err)
	fmt.Fprintf(q.w, "   the same 403 on every provider: status %d, kind %s, missing %v\n",
		e.Status, e.Kind, e.Missing)
	return nil
}
