package web

import (
	"testing"
)

// dossierReportsCrawlPages are the administrator's dossier pages for the
// two-language crawl: the reports (with the crawl's dossiers) and the
// integration keys (with one client).
func dossierReportsCrawlPages(t *testing.T, e *env, adm string) []crawlPage {
	t.Helper()
	e.issueKey(t, adm, "motcua", "Mot cua tinh")
	return []crawlPage{
		{name: "dossier-reports", who: "admin", staff: true, path: "/admin/dossiers/reports", ready: `!!document.getElementById("figures") && !!document.getElementById("t-late")`, shotAt: 1366},
		{name: "dossier-keys", who: "admin", staff: true, path: "/admin/dossiers/keys", ready: `!!document.getElementById("client-motcua") && !!document.getElementById("issue-form")`},
	}
}
