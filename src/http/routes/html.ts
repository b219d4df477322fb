/** Escapes text for HTML content and attribute values (connection names and error messages are input). */
export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
