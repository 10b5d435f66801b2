/**
 * Reads a response body as UTF-8 text, but no more than `maxBytes`: an upstream that answers without end must not
 * grow this process. A larger body (by its Content-Length, or once the bytes read pass the limit) is cancelled,
 * which releases the connection, and gives `undefined`.
 *
 * @param response - the upstream answer
 * @param maxBytes - the most bytes read
 * @returns the text, or undefined when the body is larger than `maxBytes`
 * @throws what reading the body throws (a connection reset, an abort)
 */
export async function readBoundedText(response: Response, maxBytes: number): Promise<string | undefined> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  const body = response.body;
  if (declared > maxBytes) {
    body?.cancel().catch(() => {});
    return undefined;
  }
  if (body === null) return '';

  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let total = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    total += chunk.value.byteLength;
    if (total > maxBytes) {
      reader.cancel().catch(() => {});
      return undefined;
    }
    text += decoder.decode(chunk.value, { stream: true });
  }
  return text + decoder.decode();
}
