/** The example of "Формат уведомлений" (telegram-integration-api.ru.md) and the lead behind it. */
export const SPEC_EXAMPLE_LEAD = {
  name: "Иван Петров",
  email: "ivan@example.com",
  phone: "+7 999 123-45-67",
  company: 'ООО "Рога и копыта"',
  message: "Здравствуйте! Интересует ваша услуга по разработке сайта.\nХотел бы обсудить детали проекта.",
  utm_source: "google",
  page: "/services/web",
  device: "desktop",
};

export const SPEC_EXAMPLE_FOOTER = "🔗 utm_source: google | страница: /services/web | устройство: desktop";

export const SPEC_EXAMPLE_NOTIFICATION = [
  "📝 Новая заявка с сайта",
  "━━━━━━━━━━━━━━━━━━━━━━",
  "👤 Имя: Иван Петров",
  "📧 Email: ivan@example.com",
  "📞 Телефон: +7 999 123-45-67",
  '🏢 Компания: ООО "Рога и копыта"',
  "",
  "💬 Сообщение:",
  "Здравствуйте! Интересует ваша услуга по разработке сайта.",
  "Хотел бы обсудить детали проекта.",
  "",
  "━━━━━━━━━━━━━━━━━━━━━━",
  SPEC_EXAMPLE_FOOTER,
].join("\n");
