package xmlrpc_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// exampleServer starts a stand-in for supervisord with one process, "web".
// Real code passes supervisord's serverurl instead, such as
// unix:///var/run/supervisor.sock or http://127.0.0.1:9001.
func exampleServer() (url string, stop func()) {
	web := xmlrpc.ProcessInfo{Name: "web", Group: "web", State: 20, StateName: "RUNNING", PID: 4242}
	srv := httptest.NewServer(&fakeSupervisord{methods: map[string]handlerFunc{
		"supervisor.getProcessInfo": func(_ *http.Request, params []xmlrpc.Value) (any, error) {
			if name := param[string](params, 0); name != "web" {
				return nil, xmlrpc.NewFault(xmlrpc.FaultBadName, name)
			}
			return web, nil
		},
		"supervisor.getAllProcessInfo": func(*http.Request, []xmlrpc.Value) (any, error) {
			return []xmlrpc.ProcessInfo{web}, nil
		},
		"supervisor.getPID": func(*http.Request, []xmlrpc.Value) (any, error) { return 8341, nil },
	}})
	return srv.URL, srv.Close
}

func ExampleClient_GetProcessInfo() {
	url, stop := exampleServer()
	defer stop()

	c, err := xmlrpc.NewClient(url, xmlrpc.Options{Username: "user", Password: "123"})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	info, err := c.GetProcessInfo(context.Background(), "web")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(info.Namespec(), info.StateName, info.PID)

	// Faults match the sentinels.
	_, err = c.GetProcessInfo(context.Background(), "nosuch")
	fmt.Println(errors.Is(err, xmlrpc.ErrBadName), err)
	// Output:
	// web RUNNING 4242
	// true call supervisor.getProcessInfo: fault 10: BAD_NAME: nosuch
}

func ExampleClient_Call() {
	url, stop := exampleServer()
	defer stop()

	c, err := xmlrpc.NewClient(url, xmlrpc.Options{})
	if err != nil {
		log.Fatal(err)
	}
	// Any method, with the result decoded into the fields you need.
	var procs []struct {
		Name string `xmlrpc:"name"`
		PID  int    `xmlrpc:"pid"`
	}
	if err := c.Call(context.Background(), "supervisor.getAllProcessInfo", &procs); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%+v\n", procs)
	// Output: [{Name:web PID:4242}]
}

func ExampleClient_Multicall() {
	url, stop := exampleServer()
	defer stop()
	c, err := xmlrpc.NewClient(url, xmlrpc.Options{})
	if err != nil {
		log.Fatal(err)
	}
	results, err := c.Multicall(context.Background(), []xmlrpc.Call{
		{Method: "supervisor.getPID"},
		{Method: "supervisor.nosuch"},
		{Method: "supervisor.getProcessInfo", Params: []any{"web"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	var pid int
	fmt.Println(results[0].Decode(&pid), pid)
	fmt.Println(results[1].Err())
	var info xmlrpc.ProcessInfo
	fmt.Println(results[2].Decode(&info), info.StateName)
	// Output:
	// <nil> 8341
	// fault 1: UNKNOWN_METHOD
	// <nil> RUNNING
}

func ExampleFromEnv() {
	// An event listener started by supervisord passes os.Getenv.
	env := map[string]string{"SUPERVISOR_SERVER_URL": "unix:///var/run/supervisor.sock"}
	c, err := xmlrpc.FromEnv(func(k string) string { return env[k] }, xmlrpc.Options{})
	fmt.Println(c != nil, err)

	_, err = xmlrpc.FromEnv(func(string) string { return "" }, xmlrpc.Options{})
	fmt.Println(err)
	// Output:
	// true <nil>
	// SUPERVISOR_SERVER_URL is not set (not running under supervisord?)
}

// The server side: decode a request, decode its parameters, answer.
func ExampleDecodeRequest() {
	body := `<?xml version='1.0'?>
<methodCall>
<methodName>supervisor.startProcess</methodName>
<params>
<param>
<value><string>web</string></value>
</param>
<param>
<value><boolean>1</boolean></value>
</param>
</params>
</methodCall>
`
	method, params, err := xmlrpc.DecodeRequest(strings.NewReader(body), xmlrpc.Limits{MaxBytes: 1 << 20})
	if err != nil {
		log.Fatal(err) // supervisord answers HTTP 400
	}
	var name string
	var wait bool
	if len(params) != 2 || xmlrpc.Unmarshal(params[0], &name) != nil || xmlrpc.Unmarshal(params[1], &wait) != nil {
		log.Fatal("INCORRECT_PARAMETERS")
	}
	fmt.Println(method, name, wait)

	var resp bytes.Buffer
	if err := xmlrpc.EncodeFault(&resp, xmlrpc.NewFault(xmlrpc.FaultAlreadyStarted, name)); err != nil {
		log.Fatal(err)
	}
	fmt.Print(resp.String())
	// Output:
	// supervisor.startProcess web true
	// <?xml version='1.0'?>
	// <methodResponse>
	// <fault>
	// <value><struct>
	// <member>
	// <name>faultCode</name>
	// <value><int>60</int></value>
	// </member>
	// <member>
	// <name>faultString</name>
	// <value><string>ALREADY_STARTED: web</string></value>
	// </member>
	// </struct></value>
	// </fault>
	// </methodResponse>
}

func ExampleUnmarshal() {
	v := xmlrpc.Struct(
		xmlrpc.Member{Name: "statecode", Value: xmlrpc.Int(1)},
		xmlrpc.Member{Name: "statename", Value: xmlrpc.String("RUNNING")},
	)
	var st xmlrpc.State
	if err := xmlrpc.Unmarshal(v, &st); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%+v\n", st)

	var wrong struct {
		Code string `xmlrpc:"statecode"`
	}
	fmt.Println(xmlrpc.Unmarshal(v, &wrong))
	// Output:
	// {Code:1 Name:RUNNING}
	// decode field "statecode": want string, got int
}
