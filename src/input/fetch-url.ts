/**
 * What a URL mesh-exp reaches with `fetch` (the Prometheus HTTP API) may be: http or https, on a
 * port fetch connects to. The Fetch standard blocks a list of "bad ports" (SMTP, IRC, X11…), and
 * undici refuses them on every request ("fetch failed: bad port"), so `validate` refuses them first.
 */

// https://fetch.spec.whatwg.org/#bad-port (the list undici applies).
const BAD_PORTS = new Set([
  0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115,
  117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601,
  636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697,
  10080,
]);

/** Why fetch would refuse `text` on every request, or undefined when it would try it. */
export function fetchUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `the scheme must be http or https, got "${url.protocol.slice(0, -1)}"`;
  const port = url.port === '' ? undefined : Number(url.port);
  if (port !== undefined && BAD_PORTS.has(port)) return `port ${port} is one fetch never connects to (a "bad port" of the Fetch standard); serve the API on another port`;
  return undefined;
}
