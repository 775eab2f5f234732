package example

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/capgen/capgen/capability"
	"github.com/capgen/capgen/examples/integrations/hubspot"
	"github.com/capgen/capgen/sandbox"
)

// sandboxed authorizes feature contact_sync against the sandbox and returns
// the feature's handles and the refreshing token source behind them.
func sandboxed(tb testing.TB) (*sandbox.Sandbox, *hubspot.ContactSync, *capability.RefreshingSource) {
	tb.Helper()
	ctx := context.Background()
	sb := sandbox.Start(tb, "hubspot")
	req, err := hubspot.AuthRequest(hubspot.FeatureContactSync)
	if err != nil {
		tb.Fatal(err)
	}
	tok, err := sb.Authorize(ctx, req.Scopes...)
	if err != nil {
		tb.Fatal(err)
	}
	source := capability.NewRefreshingSource(ctx, sb.Config(), tok)
	grant, err := hubspot.NewClient(source, capability.WithBaseURL(sb.BaseURL)).GrantFromToken(tok, req.Scopes)
	if err != nil {
		tb.Fatal(err)
	}
	feature, err := grant.ContactSync()
	if err != nil {
		tb.Fatal(err)
	}
	return sb, feature, source
}

// TestConcurrentCallsThroughAnExpiryRefreshOnce sends 1,000 concurrent calls
// through a token the sandbox has just expired: exactly one refresh, and
// every call succeeds.
func TestConcurrentCallsThroughAnExpiryRefreshOnce(t *testing.T) {
	sb, feature, source := sandboxed(t)
	sb.Expire()

	const calls = 1000
	var wg sync.WaitGroup
	errs := make(chan error, calls)
	for range calls {
		wg.Go(func() {
			_, err := feature.ContactRead.ListContacts(context.Background(), hubspot.ListContactsParams{})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	failed := 0
	for err := range errs {
		if err != nil {
			failed++
			if failed == 1 {
				t.Errorf("a call failed: %v", err)
			}
		}
	}
	if failed > 0 || source.Refreshes() != 1 {
		t.Errorf("%d of %d calls failed, %d refreshes; want 0 failures and exactly 1 refresh",
			failed, calls, source.Refreshes())
	}
}

// BenchmarkGeneratedCall is a call through a generated handle to the
// sandbox's simulator; BenchmarkHandWrittenCall is the same call written
// with net/http and encoding/json. The difference is what capgen costs.
func BenchmarkGeneratedCall(b *testing.B) {
	_, feature, _ := sandboxed(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := feature.ContactRead.ListContacts(ctx, hubspot.ListContactsParams{Limit: 10}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHandWrittenCall(b *testing.B) {
	sb, _, source := sandboxed(b)
	tok, err := source.Token()
	if err != nil {
		b.Fatal(err)
	}
	url := sb.BaseURL + "/crm/v3/objects/contacts?limit=10"
	client := &http.Client{}
	b.ReportAllocs()
	for b.Loop() {
		if err := handWrittenList(client, url, tok.AccessToken); err != nil {
			b.Fatal(err)
		}
	}
}

func handWrittenList(client *http.Client, url, token string) error {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	var page hubspot.ContactPage
	return json.NewDecoder(resp.Body).Decode(&page)
}
