import json, random, sys
random.seed(7)
words = ("we need the money to buy a bigger place for the kids school is close "
         "mortgage refinance deposit family security, freedom \"peace of mind\" "
         "called Dana about the loan she said they want to move before summer "
         "follow up next week café €").split(" ")
def note():
    n = random.randint(40, 160)
    s = " ".join(random.choice(words) for _ in range(n))
    if random.random() < 0.2:
        s = s.replace(" follow", "\nfollow", 1)
    return s
target = 200 * 1000 * 1000
with open("notes.csv", "w", newline="") as c, open("notes.jsonl", "w") as j:
    c.write("Activity ID,Account Name,Owner,Subject,Comments,Created Date\r\n")
    size = 0; i = 0
    while size < target:
        i += 1
        t = note()
        row = '00T%07d,"Acme %d, Pty",Dana Lee,Call,"%s",2024-03-01\r\n' % (i, i % 977, t.replace('"', '""'))
        c.write(row); size += len(row.encode())
        j.write(json.dumps({"id": "00T%07d" % i, "account": "Acme %d, Pty" % (i % 977), "owner": "Dana Lee", "subject": "Call", "comments": t, "created": "2024-03-01"}, ensure_ascii=False) + "\n")
print(i)
