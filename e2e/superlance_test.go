package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"text/template"
	"time"

	"github.com/lancerhq/lancer/internal/smtptest"
	"github.com/lancerhq/lancer/internal/testproc"
)

// TestSuperlance runs our superlance listeners end to end, under the
// Python supervisord 4.2.5 and under ours: each scenario once under each
// daemon, with real programs, the demo's sendmail-compatible command writing an mbox, a real
// SMTP server (STARTTLS and AUTH) and a real Alertmanager, all on
// loopback. What each scenario proves is said on its check function.
func TestSuperlance(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every listener under the Python supervisord and ours, for about a minute")
	}
	requireOracle(t)
	daemons := []struct{ name, path string }{
		{"reference", oracleDaemon},
		{"ours", lancerBinary(t, "supervisord")},
	}
	// Four runs at a time: two scenarios under both daemons. More would
	// load a 2-core machine enough to delay the reference's 1-second poll
	// loop, and with it its TICKs.
	slots := make(chan struct{}, 4)
	for _, sc := range superlanceScenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			for _, dm := range daemons {
				t.Run(dm.name, func(t *testing.T) {
					t.Parallel()
					slots <- struct{}{}
					defer func() { <-slots }()
					runSuperlance(t, dm.path, sc)
				})
			}
		})
	}
}

// A superlanceScenario runs testdata/superlance/<name>.conf under a daemon.
type superlanceScenario struct {
	name string
	// setup starts what the config refers to (servers) before the
	// daemon starts; nil for none.
	setup func(t *testing.T, r *superlanceRun)
	// check waits, bounded, for what the listeners must do, and checks
	// it, while the daemon runs.
	check func(t *testing.T, r *superlanceRun)
}

var superlanceScenarios = []superlanceScenario{
	{name: "memmon", check: checkMemmon},
	{name: "httpok", check: checkHTTPOK},
	{name: "crashmail", check: checkCrashmail},
	{name: "batch", setup: setupBatch, check: checkBatch},
	{name: "alertmanager", setup: setupAlertmanager, check: checkAlertmanager},
}

// superlanceRun is one scenario under one daemon; templates in
// testdata/superlance/ see its fields.
type superlanceRun struct {
	*confData
	Bin      func(name string) string // path of our listener binary name
	Mbox     string                   // where the listeners' mail goes
	Sendmail string                   // -s value: demoapp sendmail appending to Mbox, quoted as one word

	WebAddr, Web2Addr string // httpserve helpers' loopback addresses

	SMTP   *smtptest.SMTPServer // batch: the SMTP server
	CAFile string               // its certificate, for SSL_CERT_FILE

	AlertmanagerURL string
}

func newSuperlanceRun(t *testing.T) *superlanceRun {
	t.Helper()
	d := newConfData(t)
	r := &superlanceRun{
		confData: d,
		Mbox:     filepath.Join(d.Dir, "mail.mbox"),
		WebAddr:  fmt.Sprintf("127.0.0.1:%d", freePort(t)),
		Web2Addr: fmt.Sprintf("127.0.0.1:%d", freePort(t)),
	}
	r.Sendmail = configWord(strings.Join([]string{lancerBinary(t, "demoapp"), "sendmail", "-mbox", r.Mbox, "-t", "-i"}, " "))
	r.Bin = func(name string) string {
		path := lancerBinary(t, name)
		if _, err := os.Stat(path); err != nil {
			t.Fatalf("listener %s was not built: %v", name, err)
		}
		return path
	}
	return r
}

// configWord quotes s as one word of a command= line. Both daemons split
// command lines with POSIX shell quoting, and s has already had its %
// doubled (testproc.CommandLine).
func configWord(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'"
}

// runSuperlance runs sc under the daemon at daemonPath, then stops the
// daemon and checks that nothing it started is left.
func runSuperlance(t *testing.T, daemonPath string, sc superlanceScenario) {
	r := newSuperlanceRun(t)
	if sc.setup != nil {
		sc.setup(t, r)
	}
	conf := r.writeConf(t, sc.name+".conf")
	start := time.Now()
	dmn := startDaemon(t, daemonPath, conf, r.Sock)
	t.Cleanup(func() {
		if t.Failed() {
			r.logFiles(t)
		}
	})
	sc.check(t, r)
	t.Logf("checked %v after the daemon started", time.Since(start).Round(100*time.Millisecond))
	dmn.stop(t)
	assertNoneLeft(t, r.Dir)
}

// writeConf renders testdata/superlance/name with r, with the templates of
// testdata/common.tmpl and testdata/superlance/rpc.tmpl.
func (r *superlanceRun) writeConf(t *testing.T, name string) string {
	t.Helper()
	tmpl, err := template.ParseFiles(filepath.Join("testdata", "superlance", name),
		filepath.Join("testdata", "common.tmpl"), filepath.Join("testdata", "superlance", "rpc.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, r); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(r.Dir, "supervisord.conf")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// logFiles logs the main log, the listeners' stderr logs and the mbox,
// for a failure.
func (r *superlanceRun) logFiles(t *testing.T) {
	t.Logf("main log:\n%s", mainLog(r.Dir))
	errs, _ := filepath.Glob(filepath.Join(r.Dir, "*.err"))
	for _, f := range append(errs, r.Mbox, filepath.Join(r.Dir, "alertmanager.log")) {
		if b, err := os.ReadFile(f); err == nil {
			t.Logf("%s:\n%s", filepath.Base(f), b)
		}
	}
}

// waitSpawns waits until the main log says each of names was spawned at
// least n times: n-1 restarts.
func (r *superlanceRun) waitSpawns(t *testing.T, timeout time.Duration, n int, names ...string) {
	t.Helper()
	for _, name := range names {
		re := regexp.MustCompile(`spawned: '` + regexp.QuoteMeta(name) + `' with pid`)
		testproc.WaitFor(t, timeout, fmt.Sprintf("%d spawns of %s in the main log", n, name), func() bool {
			b, _ := os.ReadFile(filepath.Join(r.Dir, "supervisord.log"))
			return len(re.FindAll(b, -1)) >= n
		})
	}
}

// waitMail waits until the mbox holds a mail whose subject contains each
// of subjects, and returns the mbox.
func (r *superlanceRun) waitMail(t *testing.T, timeout time.Duration, subjects ...string) []mboxMail {
	t.Helper()
	var mails []mboxMail
	testproc.WaitFor(t, timeout, fmt.Sprintf("mails with subjects %q", subjects), func() bool {
		mails = readMbox(t, r.Mbox)
		for _, s := range subjects {
			if len(withSubject(mails, s)) == 0 {
				return false
			}
		}
		return true
	})
	return mails
}

// checkMemmon: memmon -p and -g restart programs whose RSS is over the
// limit (memmon reads RSS from /proc and restarts through the daemon's
// XML-RPC, stopProcess then startProcess) and mail each restart through
// the sendmail command, split without a shell.
func checkMemmon(t *testing.T, r *superlanceRun) {
	r.waitSpawns(t, 30*time.Second, 2, "hog", "hog2")
	mails := r.waitMail(t, 15*time.Second, "memmon: process hog:hog restarted", "memmon: process hogs:hog2 restarted")
	for _, m := range mails {
		if to := m.Header.Get("To"); to != "ops@example.org" {
			t.Errorf("memmon mail %q: To %q; want ops@example.org", m.Subject(), to)
		}
		if !strings.Contains(m.Body, "because it was consuming too much memory") {
			t.Errorf("memmon mail %q: body %q; want the reason", m.Subject(), m.Body)
		}
	}
}

// checkHTTPOK: httpok restarts the program behind a URL that accepts and
// never answers within -t, and the one behind a URL whose body lacks -b,
// and mails superlance's subjects.
func checkHTTPOK(t *testing.T, r *superlanceRun) {
	r.waitSpawns(t, 30*time.Second, 2, "web", "web2")
	status := "httpok: http://" + r.WebAddr + "/: bad status returned"
	r.waitMail(t, 15*time.Second, status, "httpok: http://"+r.Web2Addr+"/: bad body returned")
	// The first check may find web not listening yet; a later one must
	// have waited -t for an answer that never came.
	testproc.WaitFor(t, 15*time.Second, "a bad-status mail saying the check timed out", func() bool {
		for _, m := range withSubject(readMbox(t, r.Mbox), status) {
			if strings.Contains(m.Body, "timed out") {
				return true
			}
		}
		return false
	})
}

// checkCrashmail: crashmail mails an unexpected exit, once, and nothing
// for an expected one (clean exits before crasher, and the listener gets
// the events in order).
func checkCrashmail(t *testing.T, r *superlanceRun) {
	waitLog(t, filepath.Join(r.Dir, "supervisord.log"), `(?s)exited: clean \(exit status 0; expected\).*exited: crasher \(exit status 3; not expected\)`)
	r.waitMail(t, 15*time.Second, "crasher crashed at")
	time.Sleep(2 * time.Second) // settle: a wrong mail about clean would be sent by now
	mails := readMbox(t, r.Mbox)
	if len(mails) != 1 {
		t.Fatalf("crashmail sent %d mails (%q); want 1, about crasher", len(mails), subjects(mails))
	}
	m := mails[0]
	if want := "Process crasher in group crasher exited unexpectedly"; !strings.Contains(m.Body, want) {
		t.Errorf("crashmail body %q; want it to contain %q", m.Body, want)
	}
	if to := m.Header.Get("To"); to != "ops@example.org" {
		t.Errorf("crashmail To %q; want ops@example.org", to)
	}
}

// setupBatch starts the SMTP server (STARTTLS, AUTH PLAIN) and writes its
// certificate where the listeners' SSL_CERT_FILE points.
func setupBatch(t *testing.T, r *superlanceRun) {
	r.SMTP = smtptest.NewSMTPServer(t, smtptest.SMTPOptions{StartTLS: true, Username: "user", Password: "pass"})
	r.CAFile = filepath.Join(r.Dir, "smtp-ca.pem")
	if err := os.WriteFile(r.CAFile, r.SMTP.CertPEM, 0o600); err != nil {
		t.Fatal(err)
	}
}

// Subjects of the batch listeners' mails; crashsms's have none.
const (
	crashSubject = "Crash alert from supervisord"
	fatalSubject = "Fatal start alert from supervisord"
)

// checkBatch: crashmailbatch, fatalmailbatch and crashsms send their
// events over SMTP with STARTTLS and AUTH, several events per mail, one
// mail per interval rather than one per event.
func checkBatch(t *testing.T, r *superlanceRun) {
	var crash, fatal, sms []smtptest.Mail
	testproc.WaitFor(t, 60*time.Second, "two crash mails, two crashsms mails and both fatal programs mailed", func() bool {
		crash, fatal, sms = splitBatchMails(r.SMTP.Messages())
		return len(crash) >= 2 && len(sms) >= 2 && countLines(fatal, "failed to start too many times") >= 2
	})
	for _, m := range r.SMTP.Messages() {
		if !m.TLS || m.User != "user" || m.From != "lancer@example.org" || strings.Join(m.To, ",") != "ops@example.org" {
			t.Errorf("mail %q: TLS %v, user %q, from %q, to %q; want STARTTLS as user, from lancer@, to ops@",
				m.Subject(), m.TLS, m.User, m.From, m.To)
		}
	}
	t.Logf("crashmailbatch: %d mails, %d lines; crashsms: %d mails, %d lines; fatalmailbatch: %d mails, %d lines",
		len(crash), countLines(crash, "crasher:crasher"), len(sms), countLines(sms, "crasher:crasher"),
		len(fatal), countLines(fatal, "failed to start"))
	checkBatched(t, "crashmailbatch", crash, "died unexpectedly")
	checkBatched(t, "crashsms", sms, "exited unexpectedly")
	for _, m := range sms {
		if _, ok := m.Header["Subject"]; ok {
			t.Errorf("crashsms mail has a Subject %q; want none", m.Subject())
		}
	}
	for _, name := range []string{"fatal1", "fatal2"} {
		if n := countLines(fatal, "Process "+name+":"+name+" failed to start too many times"); n != 1 {
			t.Errorf("fatalmailbatch reported %s %d times; want once", name, n)
		}
	}
	if len(fatal) > 2 {
		t.Errorf("fatalmailbatch sent %d mails for 2 events", len(fatal))
	}
}

// splitBatchMails sorts mails by listener.
func splitBatchMails(mails []smtptest.Mail) (crash, fatal, sms []smtptest.Mail) {
	for _, m := range mails {
		switch {
		case m.Subject() == crashSubject:
			crash = append(crash, m)
		case m.Subject() == fatalSubject:
			fatal = append(fatal, m)
		case m.Header.Get("Subject") == "":
			sms = append(sms, m)
		}
	}
	return crash, fatal, sms
}

// checkBatched checks that a batch listener put several crash lines in a
// mail, and that its mails are further apart than crasher's crashes (two
// seconds): a listener mailing every event would fail both.
func checkBatched(t *testing.T, name string, mails []smtptest.Mail, what string) {
	t.Helper()
	lines := countLines(mails, "crasher:crasher")
	if lines <= len(mails) {
		t.Errorf("%s: %d mails for %d crash lines; want several crashes per mail", name, len(mails), lines)
	}
	for i, m := range mails {
		if countLines([]smtptest.Mail{m}, what) == 0 {
			t.Errorf("%s: mail %d has no %q line:\n%s", name, i, what, m.Body)
		}
	}
	for i := 1; i < len(mails); i++ {
		prev, err1 := mails[i-1].Header.Date()
		cur, err2 := mails[i].Header.Date()
		if err1 != nil || err2 != nil {
			t.Errorf("%s: mail Date headers: %v, %v", name, err1, err2)
			continue
		}
		// -i 0.1 is 6 s, counted in TICK_5s: a mail every other tick.
		// Date has whole seconds and the reference may deliver a tick up
		// to its poll interval late.
		if gap := cur.Sub(prev); gap < 4*time.Second {
			t.Errorf("%s: mails %d and %d are %v apart; want one per interval (about 10 s)", name, i-1, i, gap)
		}
	}
}

// countLines counts the body lines of mails that contain s.
func countLines(mails []smtptest.Mail, s string) int {
	n := 0
	for _, m := range mails {
		for l := range strings.Lines(m.Body) {
			if strings.Contains(l, s) {
				n++
			}
		}
	}
	return n
}

// setupAlertmanager starts a real Alertmanager on loopback.
func setupAlertmanager(t *testing.T, r *superlanceRun) {
	r.AlertmanagerURL = startAlertmanager(t, r.Dir)
}

// checkAlertmanager: crashmail --alertmanager posts crasher's unexpected
// exit to Alertmanager's API v2, which accepts and lists it with the
// labels that route and group it, and crashmail still mails it.
func checkAlertmanager(t *testing.T, r *superlanceRun) {
	var alerts []amAlert
	testproc.WaitFor(t, 30*time.Second, "Alertmanager to list a ProcessCrashed alert for crasher", func() bool {
		alerts = listAlerts(t, r.AlertmanagerURL)
		for _, a := range alerts {
			if a.Labels["alertname"] == "ProcessCrashed" && a.Labels["process"] == "crasher" {
				return true
			}
		}
		return false
	})
	for _, a := range alerts {
		if a.Labels["process"] == "crasher" && !strings.Contains(a.Annotations["summary"], "crasher crashed at") {
			t.Errorf("alert summary %q; want crashmail's subject", a.Annotations["summary"])
		}
	}
	r.waitMail(t, 15*time.Second, "crasher crashed at")
}

// alertmanagerPath is Debian's prometheus-alertmanager package's binary.
const alertmanagerPath = "/usr/bin/prometheus-alertmanager"

// startAlertmanager runs Alertmanager on a free loopback port, without
// clustering, with a route to a receiver that sends nothing, and returns
// its base URL once it is ready. Without it the test fails under CI, with
// the command that installs it, and is skipped elsewhere.
func startAlertmanager(t *testing.T, dir string) string {
	t.Helper()
	requireTool(t, alertmanagerPath, "prometheus-alertmanager")
	conf := filepath.Join(dir, "alertmanager.yml")
	if err := os.WriteFile(conf, []byte("route:\n  receiver: none\nreceivers:\n  - name: none\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	logf, err := os.Create(filepath.Join(dir, "alertmanager.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	cmd := exec.Command(alertmanagerPath, "--config.file="+conf, "--web.listen-address="+addr,
		"--cluster.listen-address=", "--storage.path="+filepath.Join(dir, "alertmanager"))
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start alertmanager: %v", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
	})
	url := "http://" + addr
	testproc.WaitFor(t, 20*time.Second, "Alertmanager at "+url+" to be ready", func() bool {
		select {
		case <-done:
			b, _ := os.ReadFile(filepath.Join(dir, "alertmanager.log"))
			t.Fatalf("alertmanager exited early:\n%s", b)
		default:
		}
		resp, err := http.Get(url + "/-/ready")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	return url
}

// amAlert is the part of an Alertmanager API v2 alert the test reads.
type amAlert struct {
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
}

// listAlerts returns Alertmanager's alerts, none on a transient error.
func listAlerts(t *testing.T, base string) []amAlert {
	t.Helper()
	resp, err := http.Get(base + "/api/v2/alerts")
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	var alerts []amAlert
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&alerts) != nil {
		return nil
	}
	return alerts
}

// mboxMail is one message demoapp sendmail appended.
type mboxMail struct {
	Header mail.Header
	Body   string
}

// Subject returns the Subject header, trimmed (crashmail's starts with a
// space).
func (m mboxMail) Subject() string { return m.Header.Get("Subject") }

// readMbox parses the mbox at path: messages begin with a "From " line,
// and body lines beginning with "From " were quoted with ">".
func readMbox(t *testing.T, path string) []mboxMail {
	t.Helper()
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []mboxMail
	for i, chunk := range strings.Split("\n"+string(b), "\nFrom ")[1:] {
		_, msg, _ := strings.Cut(chunk, "\n") // the rest of the "From " line
		msg = strings.ReplaceAll(msg, "\n>From ", "\nFrom ")
		m, err := mail.ReadMessage(strings.NewReader(msg))
		if err != nil {
			t.Fatalf("mbox %s: message %d: %v\n%s", path, i, err, msg)
		}
		body, _ := io.ReadAll(m.Body)
		out = append(out, mboxMail{Header: m.Header, Body: string(body)})
	}
	return out
}

func withSubject(mails []mboxMail, s string) []mboxMail {
	var out []mboxMail
	for _, m := range mails {
		if strings.Contains(m.Subject(), s) {
			out = append(out, m)
		}
	}
	return out
}

func subjects(mails []mboxMail) []string {
	var out []string
	for _, m := range mails {
		out = append(out, m.Subject())
	}
	return out
}

// httpserveLife bounds an httpserve helper, as testproc bounds its own.
const httpserveLife = 10 * time.Minute

// httpserveHelper is "httpserve ADDR hang" (accept connections and never
// answer, reading until the client gives up) or "httpserve ADDR body
// TEXT" (answer every request 200 with TEXT): the URLs httpok checks.
func httpserveHelper(args []string, _, stderr io.Writer) int {
	if len(args) < 2 || args[1] == "hang" && len(args) != 2 || args[1] == "body" && len(args) != 3 ||
		args[1] != "hang" && args[1] != "body" {
		fmt.Fprintln(stderr, "usage: httpserve ADDR hang | httpserve ADDR body TEXT")
		return 126
	}
	l, err := net.Listen("tcp", args[0])
	if err != nil {
		fmt.Fprintln(stderr, "httpserve:", err)
		return 1
	}
	if args[1] == "hang" {
		go func() {
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				go func() { _, _ = io.Copy(io.Discard, c); c.Close() }()
			}
		}()
	} else {
		text := args[2]
		go func() {
			_ = http.Serve(l, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				_, _ = io.WriteString(w, text)
			}))
		}()
	}
	time.Sleep(httpserveLife)
	return 0
}
