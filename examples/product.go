package example

import (
	"context"
	"fmt"

	"github.com/capgen/capgen/examples/integrations/github"
	"github.com/capgen/capgen/examples/integrations/hubspot"
)

// Synced is one page of a customer's CRM as the product copies it.
type Synced struct {
	Contacts  []hubspot.Contact
	Companies []hubspot.Company
	// CompaniesSkipped is true when the connection did not grant what
	// reading companies needs; the product then syncs contacts only.
	CompaniesSkipped bool
}

// SyncContacts copies one page of contacts, and of companies when the
// connection granted them. It fails early, naming the missing scopes, when
// the connection cannot serve feature contact_sync at all.
func SyncContacts(ctx context.Context, grant *hubspot.Grant) (*Synced, error) {
	sync, err := grant.ContactSync()
	if err != nil {
		return nil, err
	}
	contacts, err := sync.ContactRead.ListContacts(ctx, hubspot.ListContactsParams{Limit: 100})
	if err != nil {
		return nil, fmt.Errorf("listing contacts: %w", err)
	}
	out := &Synced{Contacts: contacts.Results}

	companies, ok := sync.CompanyRead.Get()
	if !ok {
		out.CompaniesSkipped = true
		return out, nil
	}
	page, err := companies.ListCompanies(ctx, hubspot.ListCompaniesParams{Limit: 100})
	if err != nil {
		return nil, fmt.Errorf("listing companies: %w", err)
	}
	out.Companies = page.Results
	return out, nil
}

// CloseWithComment closes an issue after explaining why, as feature
// issue_triage does for issues the product resolved.
func CloseWithComment(ctx context.Context, grant *github.Grant, owner, repo string, number int64,
	why string) error {
	triage, err := grant.IssueTriage()
	if err != nil {
		return err
	}
	issue, err := triage.IssueRead.GetIssue(ctx, github.GetIssueParams{Owner: owner, Repo: repo,
		IssueNumber: number})
	if err != nil {
		return err
	}
	if issue.State == "closed" {
		return nil
	}
	ref := github.CreateIssueCommentParams{Owner: owner, Repo: repo, IssueNumber: number}
	comment := &github.NewIssueComment{Body: why}
	if _, err := triage.IssueWrite.CreateIssueComment(ctx, ref, comment); err != nil {
		return err
	}
	change := github.UpdateIssueParams{Owner: owner, Repo: repo, IssueNumber: number}
	_, err = triage.IssueWrite.UpdateIssue(ctx, change, &github.IssueChange{State: "closed"})
	return err
}
