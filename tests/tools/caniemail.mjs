// What the mail clients a digest's readers use do not support in an email's HTML, from
// caniemail.com's data (the `caniemail` package): prints one JSON line per feature and
// client, `{"feature", "client", "support": "none" | "partial", "notes"}`, for Gmail (web,
// iOS, Android), Outlook (Windows, macOS, iOS), Apple Mail (macOS, iOS) and Yahoo (web,
// iOS, Android).
//
//     node caniemail.mjs EMAIL.html
import { readFileSync } from "node:fs";
import { caniemail } from "caniemail";

const clients = [
  "gmail.desktop-webmail", "gmail.ios", "gmail.android",
  "outlook.windows", "outlook.macos", "outlook.ios",
  "apple-mail.macos", "apple-mail.ios",
  "yahoo.desktop-webmail", "yahoo.ios", "yahoo.android",
];
const html = readFileSync(process.argv[2], "utf8");
const result = caniemail({ clients, html });
for (const [support, map] of [["none", result.issues.errors], ["partial", result.issues.warnings]]) {
  for (const [client, issues] of map) {
    for (const issue of issues) {
      console.log(JSON.stringify({ feature: issue.title, client, support, notes: issue.notes }));
    }
  }
}
