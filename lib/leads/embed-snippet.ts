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

/** The same form sent with fetch: no page reload, and the UTM tags and page are attached. */
export function fetchSnippet(endpoint: string): string {
  return `<script>
document.querySelector("form[data-leadgram]").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const data = Object.fromEntries(new FormData(form));
  const params = new URLSearchParams(location.search);
  for (const key of ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"]) {
    if (params.has(key)) data[key] = params.get(key);
  }
  data.page = location.pathname;
  data.referrer = document.referrer;
  const response = await fetch("${endpoint}", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(data),
  });
  form.replaceWith(response.ok ? "Спасибо! Мы скоро свяжемся с вами." : "Не удалось отправить заявку, попробуйте ещё раз.");
});
</script>`;
}
