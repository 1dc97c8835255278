#!/usr/bin/env python3
"""Deterministic CRM-like deal notes of any size, for benchmarks.

  bench/gen-notes.py --size 100M [--seed 1] [--format csv|jsonl] [-o FILE]

SIZE is in bytes, with k, M or G meaning 10^3, 10^6, 10^9 (the MB of MB/s).
The output stops at the first record that reaches SIZE, so it is SIZE plus
at most one note. The same seed, size and format give the same bytes on any
machine (the script uses nothing but random.Random(seed) and sorted inputs).

Each note is what a seller types after a call, built from the labeled
corpora of this repository, recombined:

  - a product and a seller (14 sellers, 15 products; the German home-loan
    product gets German sentences);
  - most notes open with the customer's stated need (a transcript's
    need_text, or a short "re <product>" line), then add one to five answers
    of that product (corpora/answers/train and the answers of
    corpora/transcripts/train) and sentences of corpora/notes/deals.jsonl;
  - CRM chatter around them (call logistics, follow-ups, ids, dates,
    amounts, e-mail fragments, a few non-ASCII characters), which matches no
    rung: about half of a note's bytes;
  - about one note in eight is pure admin ("Left voicemail, will retry
    Tue."), and about one in fifty is a long pasted e-mail thread (2 to 8 KB).

CSV is RFC 4180 as CRMs export it (a UTF-8 byte order mark, CRLF, quoted
fields with commas, quotes and line breaks); JSON Lines has one flat object a
line with the same keys. Columns: Id, OwnerName, Product, Subject, Body,
CreatedDate, Stage.
"""

import argparse
import glob
import json
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPORA = os.path.join(HERE, "..", "corpora")

SELLERS = [
    "Dana Lee", "Sam Ortiz", "Priya Nair", "Tom Becker", "Aiko Tanaka", "Marcus Hill", "Lena Vogel",
    "Chris O'Neil", "Fatima Zahra", "Jonas Weber", "Grace Kim", "Rafael Souza", "Nina Petrova", "Owen Price",
]

PRODUCTS = {
    "home-loan": "Home Loan",
    "car-loan": "Car Loan",
    "business-loan": "Business Loan",
    "crm-software": "CRM Suite",
    "accounting-software": "Accounting Software",
    "cloud-hosting": "Cloud Hosting",
    "course": "Online Course",
    "holiday": "Holiday Package",
    "life-insurance": "Life Cover",
    "retirement-savings": "Retirement Savings",
    "gym-membership": "Gym Membership",
    "phone-plan": "Phone Plan",
    "power-drill": "Power Tools",
    "chewing-gum": "Confectionery",
    "home-loan-de": "Baufinanzierung",
}
# Product mix: loans and software dominate a CRM; German is a small share.
WEIGHTS = {
    "home-loan": 14, "car-loan": 9, "business-loan": 8, "crm-software": 9, "accounting-software": 7,
    "cloud-hosting": 7, "course": 6, "holiday": 6, "life-insurance": 6, "retirement-savings": 5,
    "gym-membership": 4, "phone-plan": 5, "power-drill": 3, "chewing-gum": 2, "home-loan-de": 3,
}
PRODUCT_NEED = {v: k for k, v in PRODUCTS.items()}

FIRST = ["John", "Sarah", "Mia", "Tom", "Mr Patel", "Ms Chen", "Linda", "Raj", "Olga", "Ben", "Kate", "Ahmed",
         "Sofia", "Luca", "the Nguyens", "Mrs O'Brien", "Jürgen", "Zoë", "Dr Okafor", "Hannah"]
COMPANIES = ["Acme Pty Ltd", "Northwind", "Globex", "Initech", "Umbrella Holdings", "Stark & Sons", "Wayne Logistics",
             "Hooli", "Vandelay Imports", "Soylent", "Café Lumière", "Müller GmbH", "Blue Sky Dental", "Kiwi Freight"]
DAYS = ["Mon", "Tue", "Wed", "Thurs", "Fri", "Monday", "next week", "tomorrow", "end of month", "after Easter"]

CHATTER = [
    "Left voicemail, will retry {day}.",
    "Called {name} at {time}, no answer.",
    "Spoke to {name} from {company} for {mins} mins.",
    "Follow up {day}.",
    "Sent proposal v{v} via email, cc {name}.",
    "Meeting booked {day} {time} (Teams).",
    "Ticket #{num} raised with support.",
    "Quote Q-{num} sent, valid 30 days.",
    "Updated contact details, new mobile 04{num}.",
    "Moved stage to {stage}.",
    "Docs received: ID, payslips x2, bank statements.",
    "Awaiting signed forms.",
    "Reminder set for {day}.",
    "Intro call done, decent rapport.",
    "{name} asked for a brochure, posted it.",
    "Emailed the T&Cs and the fee schedule.",
    "Budget approx ${amount}k, timeline {day}.",
    "Re-assigned from {seller}.",
    "Rescheduled to {day} at their request.",
    "Invoice INV-{num} paid.",
    "Logged via mobile app.",
    "Referral from {name} at {company}.",
    "Note: prefers SMS over calls.",
    "No show to the {time} appointment.",
    "Compliance check passed ✓.",
    "Sent calendar invite – {day} {time}.",
    "Asked about the promo from the newsletter.",
    "Discussed onboarding steps and next actions.",
    "CRM sync error earlier, re-entered notes manually.",
    "Lead source: website form (UTM google/cpc).",
]
LONG_MAIL = [
    "From: {name} <{email}>",
    "Sent: {day} {time}",
    "To: {seller}",
    "Subject: RE: RE: {subject}",
    "Hi {seller},",
    "Thanks for your time on the phone earlier.",
    "As discussed, please find attached the documents you asked for.",
    "Let me know if anything else is needed from our side.",
    "We will review the figures with our accountant and come back to you.",
    "Kind regards,",
    "{name}",
    "-----Original Message-----",
    "This email and any attachments are confidential and may be privileged.",
    "If you are not the intended recipient please notify the sender and delete it.",
    "Please consider the environment before printing this email.",
]
ADMIN_SUBJECTS = ["Call", "Voicemail", "Email", "Follow up", "Meeting", "Admin", "Docs", "Quote sent", "Check-in"]
STAGES = ["Prospecting", "Qualification", "Needs Analysis", "Proposal", "Negotiation", "Closed Won", "Closed Lost"]
GERMAN_CHATTER = [
    "Rückruf am {day} vereinbart.",
    "Unterlagen per E-Mail geschickt.",
    "Termin in der Filiale um {time}.",
    "Kunde war nicht erreichbar.",
    "Angebot A-{num} verschickt.",
]


def parse_size(text):
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([kKmMgG]?)[bB]?", text)
    if not m:
        raise SystemExit("gen-notes.py: --size must be a number of bytes, with k, M or G (10^3, 10^6, 10^9)")
    scale = {"": 1, "k": 10**3, "m": 10**6, "g": 10**9}[m.group(2).lower()]
    return int(float(m.group(1)) * scale)


def read_jsonl(pattern):
    rows = []
    for path in sorted(glob.glob(pattern)):
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith("#"):
                    rows.append(json.loads(line))
    return rows


def split_sentences(text):
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n", text) if s.strip()]


def load_pools():
    answers = {need: [] for need in PRODUCTS}
    openers = {need: [] for need in PRODUCTS}
    for row in read_jsonl(os.path.join(CORPORA, "answers", "train", "*.jsonl")):
        if row.get("need") in answers:
            answers[row["need"]].append(row["answer"].strip())
    for row in read_jsonl(os.path.join(CORPORA, "transcripts", "train", "*.jsonl")):
        need = row.get("need")
        if need not in answers:
            continue
        openers[need].append(row["need_text"].strip())
        answers[need].extend(a.strip() for a in row["answers"] if a.strip())
    notes = read_jsonl(os.path.join(CORPORA, "notes", "deals.jsonl"))
    sentences = {need: [] for need in PRODUCTS}
    subjects = {need: [] for need in PRODUCTS}
    for n in notes:
        need = PRODUCT_NEED.get(n["Product"])
        if need is None:
            continue
        sentences[need].extend(split_sentences(n["Body"]))
        subjects[need].append(n["Subject"])
    for need in PRODUCTS:
        # sorted: the same pools whatever order the files were read in
        answers[need] = sorted(set(answers[need]))
        openers[need] = sorted(set(openers[need]))
        sentences[need] = sorted(set(sentences[need]))
        subjects[need] = sorted(set(subjects[need])) or [PRODUCTS[need]]
        if not openers[need]:
            openers[need] = ["re " + PRODUCTS[need].lower()]
    return answers, openers, sentences, subjects


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.answers, self.openers, self.sentences, self.subjects = load_pools()
        self.needs = sorted(PRODUCTS)
        self.weights = [WEIGHTS[n] for n in self.needs]

    def fill(self, template, seller):
        r = self.rng
        return template.format(
            day=r.choice(DAYS), time="%d:%02d%s" % (r.randint(8, 11), r.choice((0, 15, 30, 45)), r.choice(("am", "pm"))),
            name=r.choice(FIRST), company=r.choice(COMPANIES), mins=r.randint(3, 55), v=r.randint(1, 4),
            num=r.randint(10000, 9999999), stage=r.choice(STAGES), amount=r.randint(5, 900), seller=seller,
            email="%s@example.com" % r.choice(("info", "accounts", "j.smith", "m.chen")),
            subject=r.choice(ADMIN_SUBJECTS))

    def chatter(self, seller, german):
        pool = GERMAN_CHATTER if german and self.rng.random() < 0.6 else CHATTER
        return self.fill(self.rng.choice(pool), seller)

    def note(self):
        r = self.rng
        need = r.choices(self.needs, self.weights)[0]
        german = need.endswith("-de")
        seller = r.choice(SELLERS)
        parts = []
        kind = r.random()
        if kind < 0.12:
            # pure admin
            subject = r.choice(ADMIN_SUBJECTS)
            for _ in range(r.randint(1, 4)):
                parts.append(self.chatter(seller, german))
        else:
            subject = r.choice(self.subjects[need] + ADMIN_SUBJECTS)
            if r.random() < 0.7:
                parts.append(r.choice(self.openers[need]).rstrip(".") + ".")
            pool = self.answers[need] + self.sentences[need]
            for _ in range(r.randint(1, 5)):
                if r.random() < 0.55:
                    parts.append(self.chatter(seller, german))
                s = r.choice(pool)
                if s[-1] not in ".!?":
                    s += "."
                parts.append(s)
            for _ in range(r.randint(0, 3)):
                parts.append(self.chatter(seller, german))
        if r.random() < 0.02:
            mail = [self.fill(line, seller) for line in LONG_MAIL]
            pool = self.answers[need]
            while sum(len(x) for x in mail) < r.randint(2000, 8000):
                mail.insert(r.randint(5, len(mail)), r.choice(pool) if r.random() < 0.3 else self.chatter(seller, german))
            parts.append("\n".join(mail))
        sep = "\n- " if r.random() < 0.25 else " "
        body = sep.join(parts)
        if sep != " ":
            body = "- " + body
        if r.random() < 0.05:
            body = body.lower()
        return seller, PRODUCTS[need], subject, body


def csv_field(value):
    if any(c in value for c in ',"\r\n') or value[:1] == " " or value[-1:] == " ":
        return '"' + value.replace('"', '""') + '"'
    return value


def main():
    parser = argparse.ArgumentParser(description="Deterministic CRM-like deal notes for benchmarks.")
    parser.add_argument("--size", required=True, help="bytes to write: 10M, 200M, 1G (10^6, 10^9)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", choices=["csv", "jsonl"], default="csv")
    parser.add_argument("-o", "--output", help="write here instead of standard output")
    args = parser.parse_args()
    target = parse_size(args.size)

    gen = Generator(args.seed)
    out = open(args.output, "wb") if args.output else sys.stdout.buffer
    written = 0
    chunk = []
    chunk_bytes = 0
    if args.format == "csv":
        header = "\ufeffId,OwnerName,Product,Subject,Body,CreatedDate,Stage\r\n".encode("utf-8")
        out.write(header)
        written += len(header)
    number = 0
    rng = gen.rng
    while written < target:
        number += 1
        seller, product, subject, body = gen.note()
        note_id = "00T%08d" % number
        date = "2024-%02d-%02d" % (1 + number * 7 % 12, 1 + number * 13 % 28)
        stage = STAGES[rng.randrange(len(STAGES))]
        if args.format == "csv":
            line = ",".join((note_id, csv_field(seller), csv_field(product), csv_field(subject), csv_field(body),
                             date, stage)) + "\r\n"
        else:
            line = json.dumps({"Id": note_id, "OwnerName": seller, "Product": product, "Subject": subject,
                               "Body": body, "CreatedDate": date, "Stage": stage}, ensure_ascii=False) + "\n"
        data = line.encode("utf-8")
        written += len(data)
        chunk.append(data)
        chunk_bytes += len(data)
        if chunk_bytes >= 1 << 20:
            out.write(b"".join(chunk))
            chunk = []
            chunk_bytes = 0
    out.write(b"".join(chunk))
    out.flush()
    if args.output:
        out.close()
    print("gen-notes.py: %d notes, %d bytes" % (number, written), file=sys.stderr)


if __name__ == "__main__":
    main()
