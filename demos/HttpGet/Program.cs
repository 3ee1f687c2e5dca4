// An HTTP/1.1 client on RxNet, curl's smallest job: GET a URL, follow its redirects, and print what came back.
//   HttpGet http://127.0.0.1:8080/plaintext          the body to stdout
//   HttpGet http://127.0.0.1:8080/big -o big.bin     the body to a file
//   HttpGet unix:/tmp/http.sock /index.html          an endpoint string and a path: every URL over that endpoint
//                                                    (Host is the endpoint's host= where it has one, else localhost)
// The status line and the headers of the final response go to stderr, so stdout carries the body alone and pipes
// cleanly (`HttpGet URL | sha256sum`); after redirects, a "* redirected to URL" line names where they led. When
// stderr is a terminal, a body over 1 MiB shows a progress line there. gzip, deflate and br bodies are decoded.
// Exit codes: 0 for a 2xx or 3xx answer, 1 when the server answered 4xx or 5xx (the body is still written), 2 for a
// bad argument, 3 when no answer came: the error's type and message on stderr (a refused connection, a reset, a
// response that breaks HTTP with its HttpProtocolError).
using System.CommandLine;
using HttpGetDemo;

var target = new Argument<string>("url") { Description = "An http:// or https:// URL, or an endpoint string (tcp:host=H:port=P, unix:PATH, tls:...) followed by a path." };
var path = new Argument<string?>("path") { Description = "With an endpoint string: the path to get, such as /index.html.", Arity = ArgumentArity.ZeroOrOne };
var output = new Option<string?>("--output", "-o") { Description = "Write the body to this file instead of stdout." };
var command = new RootCommand("RxNet HTTP client: gets a URL, follows redirects, prints the status and headers to stderr and the body to stdout or a file.") { target, path, output };
command.SetAction((result, cancel) => Fetch.RunAsync(result.GetValue(target)!, result.GetValue(path), result.GetValue(output), cancel));
return await command.Parse(args).InvokeAsync();
