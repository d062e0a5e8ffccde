/**
 * Copy-paste code for an owner's website, shown in the settings and the README. Pure: the
 * settings page renders it in the browser with the site's own endpoint.
 */

export function leadEndpoint(appOrigin: string, siteKey: string): string {
  return `${appOrigin}/api/v1/public/leads/${siteKey}`;
}

/** A plain HTML form: works with JavaScript off; `_redirect` brings the visitor back. */
export function htmlFormSnippet(endpoint: string, thankYouUrl: string): string {
  return `<form action="${endpoint}" method="POST">
  <input name="name" placeholder="Имя" required>
  <input name="email" type="email" placeholder="Email">
  <input name="phone" type="tel" placeholder="Телефон">
  <textarea name="message" placeholder="Сообщение"></textarea>
  <!-- Leadgram: the page to return to, and a trap field that only bots fill in -->
  <input type="hidden" name="_redirect" value="${thankYouUrl}">
  <input name="_gotcha" tabindex="-1" autocomplete="off" style="position:absolute;left:-9999px" aria-hidden="true">
  <button type="submit">Отправить</button>
</form>`;
}

/**
 * The same form sent with fetch: no page reload, and the UTM tags and page are attached.
 * Every attempt of one submission carries the same Idempotency-Key, so it is retried
 * safely (no answer, a 5xx, or a 429 after its Retry-After): a request that did arrive
 * is answered with the lead it stored, never stored twice.
 */
export function fetchSnippet(endpoint: string): string {
  return `<script>
document.querySelector("form[data-leadgram]").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  for (const button of form.querySelectorAll("button")) button.disabled = true;
  const data = Object.fromEntries(new FormData(form));
  const params = new URLSearchParams(location.search);
  for (const key of ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"]) {
    if (params.has(key)) data[key] = params.get(key);
  }
  data.page = location.pathname;
  data.referrer = document.referrer;
  // One key for all attempts: Leadgram stores the lead once however many of them arrive
  // (randomUUID needs https; a page on plain http gets a random string instead).
  const idempotencyKey = crypto.randomUUID?.() ?? Date.now() + "-" + Math.random();
  let response;
  for (let attempt = 0; attempt < 4; attempt++) {
    if (attempt > 0) {
      const seconds = Number(response?.headers.get("Retry-After")) || 2 ** (attempt - 1);
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    }
    response = await fetch("${endpoint}", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Idempotency-Key": idempotencyKey },
      body: JSON.stringify(data),
    }).catch(() => null); // no answer: the network failed
    if (response && response.status < 500 && response.status !== 429) break;
  }
  form.replaceWith(response?.ok ? "Спасибо! Мы скоро свяжемся с вами." : "Не удалось отправить заявку, попробуйте ещё раз.");
});
</script>`;
}
