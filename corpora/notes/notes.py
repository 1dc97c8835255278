#!/usr/bin/env python3
"""Deal notes as sellers write them in a CRM, with labels.

Renders, from the one list below, the three files of this folder:

  deals.csv     a CRM export: Id, OwnerName, Product, Subject, Body (RFC 4180,
                CRLF, a UTF-8 byte order mark, quoted commas, quotes and line
                breaks, as Salesforce and HubSpot write them)
  deals.jsonl   the same records as JSON Lines
  labels.jsonl  {"id", "need", "depth", "motivation"} per note, as a careful
                reader labels it: the need the customer has (a ruleset id, or
                null), how many rungs of the ladder the note evidences on one
                path from the need down (the motivation counts as one, as in
                `fivewhys ask`), and the motivation that surfaced (or null)

Run it from anywhere: python3 corpora/notes/notes.py. The output is
deterministic. Labels were written from reading the note, before running
`fivewhys analyze` on it; tests/analyze-cases.sh compares the two.
"""

import csv
import io
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))

# (id, owner, product, subject, body, need, depth, motivation)
NOTES = [
    # ---- home loans ------------------------------------------------------------
    ("N1001", "Dana Lee", "Home Loan", "Refi enquiry",
     "Met w/ Sarah re refinance. Main thing is they want the kids to have their own rooms. Rate sensitive.",
     "home-loan", 2, "family"),
    ("N1002", "Dana Lee", "Home Loan", "Call",
     "Called John, wants a home loan. Will send rates.",
     "home-loan", 0, None),
    ("N1003", "Sam Ortiz", "Home Loan", "First home buyers - Tom & Mia",
     "First home buyers. Sick of renting, landlord is selling again (3rd move in 4 yrs). "
     "They want somewhere that's theirs so nobody can kick them out. Pre-approval needed before auction on the 14th.",
     "home-loan", 4, None),
    ("N1004", "Sam Ortiz", "Home Loan", "Mortgage - Patel",
     "Mr Patel looking at a mortgage for a 4 bed in Carlingford.\n"
     "- 2 kids, third on the way\n- currently in a 2 bed unit, \"on top of each other\"\n"
     "- wants the kids to have a backyard to play in\nSaid it's about giving the kids a proper childhood. Follow up Thurs.",
     "home-loan", 3, "family"),
    ("N1005", "Priya Nair", "Home Loan", "Home loan",
     "home loan enquiry, wife on mat leave, asked about rates and fees. sending comparison",
     "home-loan", 0, None),
    ("N1006", "Priya Nair", "Home Loan", "Investment property",
     "Client wants finance for a second property, purely as an investment. Talked rental yield and capital growth. "
     "Long term he wants to build wealth so he can retire early and not depend on the pension.",
     "home-loan", 3, "freedom"),
    ("N1007", "Dana Lee", "Home Loan", "Refinance",
     "Refinancing with us from the big 4. Repayments are killing them since the rate rises, want lower repayments "
     "so there's money left over each month. Wants it done before fixed term ends in March.",
     "home-loan", 2, None),
    ("N1008", "Tom Becker", "Home Loan", "Mortgage",
     "Mortgage pre approval. Couple in their 30s, just got married, want to settle down and start a family. "
     "Said they want to give their kids the stability they never had.",
     "home-loan", 3, "family"),
    ("N1009", "Tom Becker", "Home Loan", "Follow-up",
     "Chased docs for the home loan app. Payslips still missing. No discussion today.",
     "home-loan", 0, None),
    ("N1010", "Aroha Wiremu", "Home Loan", "Home loan - Ngata whanau",
     "Home loan for the Ngata family. They've been renting for 12 years and are tired of paying someone else's mortgage. "
     "Want a place of their own, somewhere to call home. Peace of mind is the big one for her.",
     "home-loan", 2, "security"),
    ("N1011", "Aroha Wiremu", "Home Loan", "Call back",
     "Cust called back about the mortgage, only wants to know cheapest rate. Quoted 6.19%. Shopping around.",
     "home-loan", 0, None),
    ("N1012", "Ken Watanabe", "Home Loan", "Upsizing",
     "Existing customer upgrading to a bigger house, needs a bridging loan on top of the mortgage. Current place too small "
     "since working from home, needs a home office. Wants to be closer to the good schools for the kids.",
     "home-loan", 3, "family"),
    ("N1013", "Ken Watanabe", "Home Loan", "Dream home",
     "Mortgage for their dream home on the water. He's worked hard for this and is proud of what they've achieved; "
     "she says people will finally take them seriously.",
     "home-loan", 2, "achievement"),
    ("N1014", "Lucy Fraser", "Home Loan", "Refi - debt consolidation",
     "Wants to refinance and consolidate the car loan and credit card debt into the mortgage. Goal is to be debt free "
     "before the kids start uni.",
     "home-loan", 2, "freedom"),
    ("N1015", "Lucy Fraser", "Home Loan", "Enquiry",
     "Web enquiry - home loan. No answer, left VM.",
     "home-loan", 0, None),
    ("N1016", "Mo Haddad", "Home Loan", "Fixed rate",
     "Mortgage customer wants to fix the rate for 3 yrs, hates not knowing what the repayments will be. "
     "Wants to sleep at night.",
     "home-loan", 2, "security"),
    ("N1017", "Mo Haddad", "Home Loan", "First home",
     "First home buyer grant chat. Nurse, single mum, 1 child. Wants to stop renting and have a home that's hers. "
     "Said she wants her daughter to grow up in one place, not moving every year.",
     "home-loan", 3, "family"),
    ("N1018", "Dana Lee", "Home Loan", "Property",
     "Spoke to Greg about a loan to buy a property. Very price focused, asked for discount on the establishment fee, "
     "compared our rate with the online lenders.",
     "home-loan", 0, None),
    ("N1019", "Sam Ortiz", "Home Loan", "Mortgage for a pet friendly place",
     "Mortgage enquiry. Current landlord won't allow the dog, they want to paint, garden and make it their own. "
     "Freedom to do what they like with the place.",
     "home-loan", 3, "freedom"),
    ("N1020", "Priya Nair", "Home Loan", "Home loan",
     "Home loan, couple relocating for his job. Want to live near the station to cut the commute so he's home earlier "
     "for dinner with the kids.",
     "home-loan", 3, "family"),
    ("N1021", "Tom Becker", "Home Loan", "Mortgage",
     "mortgage. they need the money to buy, can't afford it outright obviously. next step: valuation",
     "home-loan", 2, None),
    ("N1022", "Aroha Wiremu", "Home Loan", "Refinancing",
     "Refinancing, cashback offer. Asked about the rate and offset. Budget tight.",
     "home-loan", 1, None),
    ("N1023", "Ken Watanabe", "Home Loan", "Mortgage",
     "Mortgage - she said honestly it's all for her kids, she wants to leave them something when she's gone.",
     "home-loan", 2, "family"),
    ("N1024", "Lucy Fraser", "Home Loan", "Home loan, newlyweds",
     "Newlyweds, home loan. Both on good incomes. They're stuck in the same place renting with flatmates and want to "
     "move forward, build a life together. Said owning is a milestone for them, something to be proud of.",
     "home-loan", 3, "achievement"),
    ("N1025", "Mo Haddad", "Home Loan", "Mortgage renewal",
     "Mortgage renewal, fixed period ending. Wants certainty on the repayments, no surprises. Rest of the call was "
     "about the rate.",
     "home-loan", 1, None),
    ("N1026", "Dana Lee", "Home Loan", "Downsizing",
     "Retired couple downsizing, want a small loan for the gap. Want to be closer to the grandkids and spend more time "
     "with family.",
     "home-loan", 3, "family"),
    ("N1027", "Sam Ortiz", "Home Loan", "Mortgage - Chen",
     "Mr & Mrs Chen, mortgage for a townhouse. Want their parents to move in with them eventually and look after them. "
     "Family comes first for them.",
     "home-loan", 2, "family"),
    ("N1028", "Priya Nair", "Home Loan", "Home loan - Anna",
     "Home loan for Anna. Her lease ends in May, she's had enough of renting and wants the security of owning. "
     "Said \"I just want to know nobody can take it away\".",
     "home-loan", 3, "security"),
    ("N1029", "Tom Becker", "Home Loan", "Enquiry",
     "Mortgage broker referral. Only talked fees, turnaround times and the rate. Sending fact find.",
     "home-loan", 0, None),
    ("N1030", "Ken Watanabe", "Home Loan", "Home loan",
     "Home loan. Wants to get into the property market before prices go up further. Sees it as the next step in life, "
     "getting ahead.",
     "home-loan", 3, "achievement"),
    ("N1031", "Lucy Fraser", "Home Loan", "Mortgage top up",
     "Mortgage top-up to renovate, kitchen and a second bathroom. Growing family, they're squeezed.",
     "home-loan", 2, None),
    ("N1032", "Aroha Wiremu", "Home Loan", "Refi",
     "refi. lower rate elsewhere, want to save on interest and pay it off sooner. asked for rate match",
     "home-loan", 2, None),
    ("N1033", "Mo Haddad", "Home Loan", "Home loan, self employed",
     "Self employed tradie, home loan. Says he wants to prove to himself he can do it on his own terms, nobody handed "
     "him anything.",
     "home-loan", 1, "achievement"),
    ("N1034", "Dana Lee", "Home Loan", "Mortgage",
     "Mortgage. Customer: \"we've saved for years, we just want our own home for the family\". Deposit 15%.",
     "home-loan", 2, "family"),
    ("N1035", "Sam Ortiz", "Home Loan", "Mortgage (Hill)",
     "Mortgage for the Hills. Want to move to the coast, quieter life, less stress. Her health has not been great and "
     "the doctor said slow down.",
     "home-loan", 2, "health"),
    ("N1036", "Ken Watanabe", "Home Loan", "Home loan",
     "Home loan app in. Needs approval fast, settlement in 3 weeks.",
     "home-loan", 1, None),
    ("N1037", "Priya Nair", "Home Loan", "Home loan",
     "Home loan. Didn't get past the rate discussion, she wants a discount before she'll talk further.",
     "home-loan", 0, None),
    ("N1038", "Tom Becker", "Home Loan", "Mortgage, investor",
     "Investor, mortgage on a unit as a rental. Wants passive income for retirement, a nest egg. "
     "Ultimately financial freedom.",
     "home-loan", 3, "freedom"),
    ("N1039", "Lucy Fraser", "Home Loan", "Home loan - the Smiths",
     "Home loan, the Smiths. Their landlord kept putting the rent up and they had to move twice. Want stability for the "
     "kids so they can stay at the same school and feel settled.",
     "home-loan", 3, "family"),
    ("N1040", "Aroha Wiremu", "Home Loan", "Mortgage",
     "Mortgage, young couple. Both parents bought their first home at 25, they feel they're behind. Want to show "
     "everyone they've made it.",
     "home-loan", 2, "status"),

    # ---- car loans --------------------------------------------------------------
    ("N2001", "Mo Haddad", "Car Loan", "Car finance",
     "Car loan enquiry. Current car keeps breaking down, needs something reliable to get the kids to school safely.",
     "car-loan", 3, "family"),
    ("N2002", "Mo Haddad", "Car Loan", "Ute finance",
     "Finance for a new ute for his landscaping business. Old one died. He runs his own business, needs the ute to earn, "
     "no ute no income.",
     "car-loan", 3, None),
    ("N2003", "Ken Watanabe", "Car Loan", "Car loan",
     "car loan, wants the lowest rate, asked about balloon payment. will compare with dealer finance",
     "car-loan", 1, None),
    ("N2004", "Ken Watanabe", "Car Loan", "Family car",
     "Car loan for a 7 seater, twins arrived, the hatchback doesn't fit 3 car seats. Safety rating is important to them, "
     "want to keep the kids safe.",
     "car-loan", 3, "family"),
    ("N2005", "Lucy Fraser", "Car Loan", "Auto loan",
     "Auto loan, 19 yo first car. Wants independence, to go where she likes without asking mum for lifts.",
     "car-loan", 2, "freedom"),
    ("N2006", "Lucy Fraser", "Car Loan", "Car loan",
     "Car loan for a new job 40km away, no public transport. Needs the car to get to work, can't risk losing the job.",
     "car-loan", 2, None),
    ("N2007", "Dana Lee", "Car Loan", "Car finance - BMW",
     "Car finance, wants the new BMW. Honestly about the image, says clients judge you on what you drive, wants to look "
     "successful.",
     "car-loan", 2, "status"),
    ("N2008", "Dana Lee", "Car Loan", "Car loan",
     "Car loan. Wanted to know the repayments on 40k over 5 yrs. No further discussion.",
     "car-loan", 1, None),
    ("N2009", "Sam Ortiz", "Car Loan", "Caravan loan",
     "Caravan loan. Retired, want to do the big lap of Australia, see the country and go wherever they like. "
     "Freedom is the word he kept using.",
     "car-loan", 2, "freedom"),
    ("N2010", "Sam Ortiz", "Car Loan", "Vehicle finance",
     "Vehicle finance, needs it ASAP, started a new role Monday and has no way to get there.",
     "car-loan", 2, None),
    ("N2011", "Priya Nair", "Car Loan", "Car loan - refinance",
     "Refinancing the car, repayments too high since he lost overtime. Wants manageable repayments and some breathing "
     "room each month.",
     "car-loan", 2, None),
    ("N2012", "Priya Nair", "Car Loan", "Car loan",
     "car loan for her son's first car. wants something safe, she won't sleep otherwise. peace of mind.",
     "car-loan", 2, "security"),
    ("N2013", "Tom Becker", "Car Loan", "Van finance",
     "Van finance for the catering business, expanding to events. Proud of what he's built, wants to grow it.",
     "car-loan", 3, "achievement"),
    ("N2014", "Tom Becker", "Car Loan", "Car loan",
     "Car loan, called about the rate only. Rate sensitive, has a quote from the credit union.",
     "car-loan", 0, None),
    ("N2015", "Aroha Wiremu", "Car Loan", "Car finance",
     "Car finance. Mum of 4, current car unreliable and unsafe, breaks down on the motorway. Wants to know the kids are "
     "safe, she loves them to bits.",
     "car-loan", 3, "family"),
    ("N2016", "Aroha Wiremu", "Car Loan", "4WD loan",
     "Loan for a 4wd. Loves camping and fishing, weekends away, it's his passion.",
     "car-loan", 2, "enjoyment"),
    ("N2017", "Ken Watanabe", "Car Loan", "EV",
     "Car finance for an EV. Cares about the planet, wants to do his bit for the climate.",
     "car-loan", 1, "purpose"),
    ("N2018", "Lucy Fraser", "Car Loan", "Car loan",
     "Car loan enquiry via web, no contact yet.",
     "car-loan", 0, None),
    ("N2019", "Mo Haddad", "Car Loan", "Car loan (Uber)",
     "Car loan to drive Uber, wants to be his own boss, no manager telling him what to do.",
     "car-loan", 3, "freedom"),
    ("N2020", "Dana Lee", "Car Loan", "Car loan",
     "Car loan. Kids grown up, he's treating himself to a convertible, says he's earned it after 30 years of work. "
     "Wants to enjoy life.",
     "car-loan", 2, "enjoyment"),
    ("N2021", "Sam Ortiz", "Car Loan", "Motorbike",
     "Motorbike loan, commute. Cheaper than the car and parking, he says. Only asked about interest rates.",
     "car-loan", 1, None),
    ("N2022", "Priya Nair", "Car Loan", "Car loan",
     "Car loan for a bigger car, family's grown and the old one is too small for the pram and the dog.",
     "car-loan", 2, None),
    ("N2023", "Tom Becker", "Car Loan", "Car loan",
     "Car loan. She does home care, drives between clients all day, needs reliable wheels to earn a living and support "
     "her kids.",
     "car-loan", 4, "family"),
    ("N2024", "Ken Watanabe", "Car Loan", "Car finance",
     "Car finance. Wants a car so he can visit his mum in the country more often, she's on her own.",
     "car-loan", 2, "family"),
    ("N2025", "Aroha Wiremu", "Car Loan", "Car loan",
     "Car loan, wants a wider choice than the dealer yard offers. Discussed the rate, comparison rate and early "
     "repayment fees.",
     "car-loan", 1, None),

    # ---- CRM software -----------------------------------------------------------
    ("N3001", "Priya Nair", "CRM Suite", "Demo - Acme Plumbing",
     "Demo w/ Acme Plumbing (12 staff). Leads falling through the cracks, quotes sitting in inboxes, nobody follows up. "
     "Owner wants to grow the business and hit 2M this year.",
     "crm-software", 3, "achievement"),
    ("N3002", "Priya Nair", "CRM Suite", "Discovery call",
     "Discovery call re CRM. They're on spreadsheets. Asked for pricing for 5 users, per seat discount?",
     "crm-software", 1, None),
    ("N3003", "Ken Watanabe", "CRM Suite", "Intro call",
     "Intro call. Marketing agency looking for a CRM, currently HubSpot free. Main pain: no visibility of the pipeline, "
     "can't forecast. Director wants to plan hiring with confidence so the team's jobs are secure.",
     "crm-software", 3, "security"),
    ("N3004", "Ken Watanabe", "CRM Suite", "Follow up",
     "Sent proposal for the CRM, 20 seats. They came back asking for 15% off. Waiting on their budget sign off.",
     "crm-software", 0, None),
    ("N3005", "Lucy Fraser", "CRM Suite", "Meeting - Greenleaf Landscapes",
     "Met Greenleaf re CRM. Sales reps spend hours on admin and data entry instead of selling. Want to automate the "
     "busywork so reps are with customers.",
     "crm-software", 2, None),
    ("N3006", "Lucy Fraser", "CRM Suite", "Call",
     "CRM eval. Their top rep left last year and took all the customer knowledge with her; nothing was written down. "
     "Owner never wants the business to depend on one person again.",
     "crm-software", 2, None),
    ("N3007", "Dana Lee", "CRM Suite", "Demo",
     "Salesforce replacement. Current system is clunky and too expensive, nobody uses it. Price is the driver.",
     "crm-software", 1, None),
    ("N3008", "Dana Lee", "CRM Suite", "Discovery - clinic group",
     "CRM for a physio clinic group. Want to know every patient and their history so they can give better service and "
     "keep patients coming back. She said the point is making a real difference to people's lives.",
     "crm-software", 4, "purpose"),
    ("N3009", "Sam Ortiz", "CRM Suite", "Intro",
     "Intro call, interested in a CRM. Asked to call back next quarter.",
     "crm-software", 0, None),
    ("N3010", "Sam Ortiz", "CRM Suite", "Demo, Brightside Realty",
     "Pipedrive vs us. Agents track leads in their heads. Want follow ups to happen faster so they win more listings. "
     "Principal wants to be the top agency in the suburb, the name everyone knows.",
     "crm-software", 4, "status"),
    ("N3011", "Mo Haddad", "CRM Suite", "Discovery",
     "CRM. Startup founder, 4 people. Wants to build something that lasts and prove the model works.",
     "crm-software", 1, "achievement"),
    ("N3012", "Mo Haddad", "CRM Suite", "Pricing",
     "CRM pricing call. Compared with Zoho, we're dearer. Asked for a discount on annual billing.",
     "crm-software", 0, None),
    ("N3013", "Tom Becker", "CRM Suite", "Demo - Harbour Freight",
     "Demo for Harbour Freight's sales team. Manager can't see the pipeline, forecasts are guesswork. Wants reporting "
     "to make better decisions.",
     "crm-software", 2, None),
    ("N3014", "Tom Becker", "CRM Suite", "Call",
     "Call w/ ops manager: customer relationship management tool needed. They lose track of enquiries and follow-ups "
     "slip. Wants every lead tracked.",
     "crm-software", 2, None),
    ("N3015", "Aroha Wiremu", "CRM Suite", "Discovery",
     "CRM for a family run winery. Owner wants the business to grow so there's something to hand to his kids one day.",
     "crm-software", 2, "family"),
    ("N3016", "Aroha Wiremu", "CRM Suite", "Demo",
     "HubSpot migration. They want to stop doing admin at night, get evenings back. Owner said he wants his time back "
     "and freedom to step away from the business.",
     "crm-software", 3, "freedom"),
    ("N3017", "Priya Nair", "CRM Suite", "Follow up",
     "CRM follow up. Security questionnaire sent, waiting on IT.",
     "crm-software", 0, None),
    ("N3018", "Ken Watanabe", "CRM Suite", "Discovery, accountancy firm",
     "CRM for a 30 person accountancy firm. Clients fall through the cracks at tax time. Partners want to serve clients "
     "better so they stay.",
     "crm-software", 3, None),
    ("N3019", "Lucy Fraser", "CRM Suite", "Demo",
     "Demo, insurance brokerage. Need a CRM so new starters can pick up accounts when people leave. Knowledge lives in "
     "people's heads today.",
     "crm-software", 1, None),
    ("N3020", "Dana Lee", "CRM Suite", "Call",
     "crm call. too expensive, they want cheaper option. sending our starter pricing.",
     "crm-software", 0, None),

    # ---- holidays -----------------------------------------------------------------
    ("N4001", "Lucy Fraser", "Holiday Package", "Family holiday - Bali",
     "Family holiday, Bali, 2 weeks in July. Dad works long hours, they barely see each other. Want to actually spend "
     "time together as a family, make memories while the kids are little.",
     "holiday", 3, "family"),
    ("N4002", "Lucy Fraser", "Holiday Package", "Enquiry",
     "Holiday enquiry. Wants the cheapest package to Fiji, flexible dates. Sent 3 quotes.",
     "holiday", 0, None),
    ("N4003", "Priya Nair", "Holiday Package", "Honeymoon",
     "Honeymoon, Maldives. Celebrating the wedding, want something special they'll remember forever.",
     "holiday", 2, None),
    ("N4004", "Priya Nair", "Holiday Package", "Trip",
     "Trip for one, she's burnt out at work, needs a break to recharge and feel like herself again. Mentioned her "
     "health has suffered.",
     "holiday", 3, "health"),
    ("N4005", "Ken Watanabe", "Holiday Package", "Japan tour",
     "Japan tour. Wants to see new places and experience a different culture, broaden his horizons.",
     "holiday", 2, "growth"),
    ("N4006", "Ken Watanabe", "Holiday Package", "Holiday",
     "holiday, 40th birthday trip. She's earned it, treat herself after a big year.",
     "holiday", 3, "enjoyment"),
    ("N4007", "Dana Lee", "Holiday Package", "Ski trip",
     "Ski trip to NZ, group of mates. Just want fun and a thrill, adrenaline.",
     "holiday", 2, "enjoyment"),
    ("N4008", "Dana Lee", "Holiday Package", "Cruise",
     "Cruise enquiry. Asked about price per person, cabin upgrades and deposit. Shopping around.",
     "holiday", 0, None),
    ("N4009", "Sam Ortiz", "Holiday Package", "Getaway",
     "Weekend getaway for a couple, somewhere warm. They want to get away from it all, switch off from the phones and "
     "actually talk to each other.",
     "holiday", 2, None),
    ("N4010", "Sam Ortiz", "Holiday Package", "Family reunion trip",
     "Trip to Italy for a family reunion, his grandmother's 90th. Wants the kids to know where the family comes from "
     "and stay close to their cousins.",
     "holiday", 3, "family"),
    ("N4011", "Mo Haddad", "Holiday Package", "Holiday",
     "Holiday booking, Thailand. Found a good deal online, wants us to match it.",
     "holiday", 1, None),
    ("N4012", "Mo Haddad", "Holiday Package", "Backpacking",
     "Gap year backpacking, South America. Wants to grow as a person, challenge himself, learn Spanish.",
     "holiday", 2, "growth"),
    ("N4013", "Tom Becker", "Holiday Package", "Beach holiday",
     "beach holiday, wants sun and warm weather after the winter, just to relax",
     "holiday", 2, "enjoyment"),
    ("N4014", "Tom Becker", "Holiday Package", "Trip",
     "Trip enquiry. Called back re dates, no discussion of why.",
     "holiday", 0, None),
    ("N4015", "Aroha Wiremu", "Holiday Package", "Holiday",
     "Holiday for the whanau. Nan is unwell; they want one last trip together while they can, everyone together.",
     "holiday", 2, "family"),
    ("N4016", "Aroha Wiremu", "Holiday Package", "Retirement trip",
     "Retirement trip, Europe 6 weeks. Worked 40 years, finally doing what they love. Want to enjoy life while they're "
     "still fit.",
     "holiday", 3, "enjoyment"),
    ("N4017", "Ken Watanabe", "Holiday Package", "Safari",
     "Safari in Kenya. Bucket list, once in a lifetime adventure. Wants excitement.",
     "holiday", 2, "enjoyment"),
    ("N4018", "Lucy Fraser", "Holiday Package", "Holiday",
     "Holiday quote. Budget max 5k, price is the main thing.",
     "holiday", 0, None),
    ("N4019", "Priya Nair", "Holiday Package", "Anniversary",
     "Anniversary trip, 25 years. Want time together, reconnect, they've been like ships in the night since the kids.",
     "holiday", 2, None),
    ("N4020", "Dana Lee", "Holiday Package", "School holidays",
     "school holidays trip to the Gold Coast. kids want theme parks. mum just wants everyone happy and to spend time "
     "with them",
     "holiday", 2, "family"),

    # ---- courses --------------------------------------------------------------------
    ("N5001", "Tom Becker", "Online Course", "Coding bootcamp",
     "Bootcamp enquiry. Retail manager, wants to change career into tech. Better pay, steadier income for the family.",
     "course", 4, "family"),
    ("N5002", "Tom Becker", "Online Course", "Course",
     "Course enquiry - asked about price, payment plans and whether there's a discount for paying upfront.",
     "course", 0, None),
    ("N5003", "Ken Watanabe", "Online Course", "Cooking class",
     "Cooking class for her husband. He can't cook, they live on takeaway. Wants to eat healthier, doctor mentioned "
     "his cholesterol.",
     "course", 3, "health"),
    ("N5004", "Ken Watanabe", "Online Course", "Language course",
     "Italian course. Partner's family is Italian, wants to talk to the in-laws in their own language and feel part of "
     "the family.",
     "course", 3, "belonging"),
    ("N5005", "Priya Nair", "Online Course", "MBA",
     "MBA enquiry. Wants the certificate for a promotion, move up to senior management.",
     "course", 3, "achievement"),
    ("N5006", "Priya Nair", "Online Course", "Course",
     "Online course, pottery. Needs a hobby, something just for her, me time away from the kids.",
     "course", 3, "enjoyment"),
    ("N5007", "Lucy Fraser", "Online Course", "Nursing",
     "Nursing diploma. She wants work that means something, to help people and make a difference.",
     "course", 3, "purpose"),
    ("N5008", "Lucy Fraser", "Online Course", "Course",
     "Course enquiry, evening classes, must fit around work and kids. No more detail.",
     "course", 1, None),
    ("N5009", "Dana Lee", "Online Course", "Spanish",
     "Spanish lessons before a trip to Mexico, wants to get more out of travel.",
     "course", 2, None),
    ("N5010", "Dana Lee", "Online Course", "Marathon coaching",
     "Coaching program, first marathon at 50. Personal challenge, wants to prove to himself he can.",
     "course", 2, "achievement"),
    ("N5011", "Sam Ortiz", "Online Course", "Cert IV",
     "Cert IV in Accounting. Laid off, needs a qualification to get a job quickly. Mortgage to pay.",
     "course", 2, None),
    ("N5012", "Sam Ortiz", "Online Course", "Course",
     "Course, photography. Loves it, wants to get better at it, it's his passion.",
     "course", 2, "enjoyment"),
    ("N5013", "Mo Haddad", "Online Course", "Data course",
     "Data analytics course. Wants new skills to stay relevant, grow in her role.",
     "course", 2, "growth"),
    ("N5014", "Mo Haddad", "Online Course", "Course",
     "Course price list sent. Will compare with Coursera.",
     "course", 0, None),
    ("N5015", "Aroha Wiremu", "Online Course", "Te reo class",
     "Te reo Maori class. Wants to connect with her culture and speak with her grandkids.",
     "course", 2, "belonging"),
    ("N5016", "Aroha Wiremu", "Online Course", "Cooking course",
     "Cooking course, wants to save money on takeaways, they spend heaps. Trying to save for a house.",
     "course", 2, None),
    ("N5017", "Ken Watanabe", "Online Course", "Course",
     "Short course in project management for a career change, wants more meaningful work.",
     "course", 3, "purpose"),
    ("N5018", "Priya Nair", "Online Course", "Yoga teacher training",
     "Yoga teacher training. Wants to look after her own health and help others feel better.",
     "course", 2, "health"),

    # ---- life insurance -------------------------------------------------------------
    ("N6001", "Aroha Wiremu", "Life Cover", "Life insurance",
     "Life insurance, couple with a new baby. If something happens to him the mortgage can't be paid. Wants the family "
     "to be OK and the kids' future on track.",
     "life-insurance", 4, "family"),
    ("N6002", "Aroha Wiremu", "Life Cover", "Quote",
     "Life cover quote. Only interested in premiums, comparing 3 insurers.",
     "life-insurance", 0, None),
    ("N6003", "Mo Haddad", "Life Cover", "Life cover",
     "Life cover for the business partners, buy-sell agreement. Wants what they've built to carry on if one dies.",
     "life-insurance", 2, None),
    ("N6004", "Mo Haddad", "Life Cover", "Life insurance",
     "Life insurance. Bank requires cover for the loan. No other discussion.",
     "life-insurance", 1, None),
    ("N6005", "Tom Becker", "Life Cover", "Term life",
     "Term life. Single dad, 2 kids. Doesn't want to leave a burden on his sister if something happens. "
     "Peace of mind.",
     "life-insurance", 2, "security"),
    ("N6006", "Tom Becker", "Life Cover", "Life insurance",
     "Life insurance review. Wants peace of mind, sleep at night knowing the family is looked after.",
     "life-insurance", 2, "security"),
    ("N6007", "Dana Lee", "Life Cover", "Funeral cover",
     "Funeral cover. Doesn't want the kids to pay for her funeral, not a burden on them.",
     "life-insurance", 2, "family"),
    ("N6008", "Dana Lee", "Life Cover", "Life cover",
     "life cover, premium too high with current insurer, wants cheaper",
     "life-insurance", 0, None),
    ("N6009", "Lucy Fraser", "Life Cover", "Life insurance",
     "Life insurance. Wants to leave something behind for the grandkids, a legacy.",
     "life-insurance", 2, "purpose"),
    ("N6010", "Lucy Fraser", "Life Cover", "Cover",
     "Life cover for new mortgage, wife stays home with the kids. Income replacement so she could pay the mortgage and "
     "raise the kids without him.",
     "life-insurance", 3, "family"),
    ("N6011", "Priya Nair", "Life Cover", "Trauma",
     "Trauma and life cover. Family history of heart disease.",
     "life-insurance", 1, "health"),
    ("N6012", "Priya Nair", "Life Cover", "Life insurance",
     "Life insurance. Says he loves his wife and kids more than anything and wants them looked after.",
     "life-insurance", 2, "family"),
    ("N6013", "Ken Watanabe", "Life Cover", "Life cover",
     "Life cover enquiry. Call scheduled Fri 10am.",
     "life-insurance", 0, None),
    ("N6014", "Ken Watanabe", "Life Cover", "Key person",
     "Key person life cover for the founder. Business depends on her, investors want it.",
     "life-insurance", 2, None),
    ("N6015", "Sam Ortiz", "Life Cover", "Life insurance",
     "Life insurance. Wife worries constantly about money if he dies, wants a safety net so she never has to stress.",
     "life-insurance", 2, "security"),

    # ---- business loans ----------------------------------------------------------------
    ("N7001", "Ken Watanabe", "Business Loan", "Business loan - cafe",
     "Business loan to open a second cafe. Wants to grow, proud of the first one, wants to build something for the "
     "family.",
     "business-loan", 3, "family"),
    ("N7002", "Ken Watanabe", "Business Loan", "Working capital",
     "Working capital facility. Seasonal cashflow gaps, needs to pay staff in winter.",
     "business-loan", 1, None),
    ("N7003", "Lucy Fraser", "Business Loan", "Equipment finance",
     "Equipment finance for a new CNC machine. Asked about rate and term only.",
     "business-loan", 0, None),
    ("N7004", "Lucy Fraser", "Business Loan", "Business loan",
     "Business loan to start her own bakery. Sick of working for someone else, wants to be her own boss.",
     "business-loan", 2, "freedom"),
    ("N7005", "Dana Lee", "Business Loan", "Overdraft",
     "Business overdraft. Wants a buffer so the business survives a bad month and nobody loses their job.",
     "business-loan", 2, "security"),
    ("N7006", "Dana Lee", "Business Loan", "Business loan",
     "Business loan enquiry, rate comparison only. Has a better offer from another bank.",
     "business-loan", 0, None),
    ("N7007", "Sam Ortiz", "Business Loan", "Business loan - gym",
     "Loan to expand the gym, add a second floor. Wants to help more people get fit and healthy, it's his mission.",
     "business-loan", 2, "health"),
    ("N7008", "Mo Haddad", "Business Loan", "Line of credit",
     "Line of credit for stock before Christmas. Fast approval needed.",
     "business-loan", 1, None),
    ("N7009", "Tom Becker", "Business Loan", "Business finance",
     "Business finance to buy out his partner. Wants full control and to prove he can run it on his own.",
     "business-loan", 2, "achievement"),
    ("N7010", "Priya Nair", "Business Loan", "Business loan",
     "Small business loan for a salon fit out. Her dream since she was 16, she's worked hard for this.",
     "business-loan", 2, "achievement"),

    # ---- cloud hosting ------------------------------------------------------------------
    ("N8001", "Priya Nair", "Cloud Hosting", "Migration",
     "Want to move their servers to the cloud. On-prem kit is end of life, two outages this year cost them customers. "
     "CTO wants uptime and to sleep at night.",
     "cloud-hosting", 2, "security"),
    ("N8002", "Priya Nair", "Cloud Hosting", "Hosting quote",
     "Hosting quote, compared with AWS pricing. Cost is the only criterion.",
     "cloud-hosting", 0, None),
    ("N8003", "Tom Becker", "Cloud Hosting", "Cloud",
     "Cloud hosting for a SaaS startup. Need to scale fast for a launch, don't want to manage servers, want the team "
     "shipping features.",
     "cloud-hosting", 2, None),
    ("N8004", "Tom Becker", "Cloud Hosting", "Call",
     "Managed hosting call, asked about support SLAs and price per VM. Next step: tech call.",
     "cloud-hosting", 0, None),
    ("N8005", "Ken Watanabe", "Cloud Hosting", "Azure",
     "Moving workloads off premises to Azure. Board wants disaster recovery after the ransomware scare, protect the "
     "business.",
     "cloud-hosting", 2, "security"),
    ("N8006", "Ken Watanabe", "Cloud Hosting", "Hosting",
     "web hosting for an online store. Site went down on Black Friday and they lost sales. Wants it to never happen "
     "again.",
     "cloud-hosting", 2, None),
    ("N8007", "Mo Haddad", "Cloud Hosting", "Migration",
     "Cloud migration. Sustainability targets, want a green data centre to cut their carbon for the planet.",
     "cloud-hosting", 2, "purpose"),
    ("N8008", "Dana Lee", "Cloud Hosting", "Hosting",
     "Hosting, VPS. Pricing only.",
     "cloud-hosting", 0, None),

    # ---- accounting software ----------------------------------------------------------------
    ("N9001", "Sam Ortiz", "Accounting Software", "Xero migration",
     "Moving from spreadsheets to Xero. Owner does the books at midnight, wants her evenings back with the kids.",
     "accounting-software", 2, "family"),
    ("N9002", "Sam Ortiz", "Accounting Software", "Pricing",
     "Accounting software pricing. Cheaper than MYOB? Sent plans.",
     "accounting-software", 0, None),
    ("N9003", "Lucy Fraser", "Accounting Software", "Accounting software",
     "Accounting software for a builder. Chasing invoices takes days, cashflow is always tight. Wants to get paid faster "
     "and stop worrying about payroll.",
     "accounting-software", 2, "security"),
    ("N9004", "Lucy Fraser", "Accounting Software", "Bookkeeping",
     "Bookkeeping app. Tax time is a nightmare, accountant fees are huge.",
     "accounting-software", 1, None),
    ("N9005", "Mo Haddad", "Accounting Software", "QuickBooks",
     "QuickBooks switch. Wants to see real numbers, know where the business stands, make better decisions.",
     "accounting-software", 2, None),
    ("N9006", "Mo Haddad", "Accounting Software", "Accounting",
     "Accounting software demo booked for Tue.",
     "accounting-software", 0, None),

    # ---- gym memberships ----------------------------------------------------------------
    ("N9101", "Lucy Fraser", "Gym Membership", "Walk-in",
     "Walk-in, wants to join the gym. Doctor told him to lose weight, blood pressure is up. Wants to be around for his "
     "grandkids.",
     "gym-membership", 3, "family"),
    ("N9102", "Lucy Fraser", "Gym Membership", "Trial",
     "Gym trial, asked about the cheapest membership and the joining fee. Not interested in classes.",
     "gym-membership", 1, None),
    ("N9103", "Sam Ortiz", "Gym Membership", "Membership",
     "Gym membership, training for her first half marathon in October. Wants a plan and someone to keep her on track.",
     "gym-membership", 2, None),
    ("N9104", "Sam Ortiz", "Gym Membership", "PT package",
     "Personal training package. Just moved to town, knows nobody, wants to meet people. Liked the group classes.",
     "gym-membership", 2, "belonging"),
    ("N9105", "Priya Nair", "Gym Membership", "Gym",
     "gym, stressful job, wants to clear her head after work. Said exercise is the only thing that keeps her sane.",
     "gym-membership", 2, None),
    ("N9106", "Priya Nair", "Gym Membership", "Rehab",
     "Gym membership for rehab after knee surgery, physio recommended it. Wants to get back to playing with his kids.",
     "gym-membership", 3, "family"),
    ("N9107", "Ken Watanabe", "Gym Membership", "Membership",
     "Gym membership. Wedding in June, wants to look good in the photos.",
     "gym-membership", 1, None),
    ("N9108", "Ken Watanabe", "Gym Membership", "Call",
     "Fitness club enquiry, opening hours and parking. Will come in Saturday.",
     "gym-membership", 0, None),
    ("N9109", "Mo Haddad", "Gym Membership", "Membership",
     "Gym, wants to get fit and healthy, feel better in himself. Long term it's his health he's worried about.",
     "gym-membership", 3, "health"),
    ("N9110", "Mo Haddad", "Gym Membership", "Cancellation save",
     "Wanted to cancel the gym membership, says it's too expensive. Offered a discount, thinking about it.",
     "gym-membership", 1, None),

    # ---- phone plans ----------------------------------------------------------------------
    ("N9201", "Aroha Wiremu", "Phone Plan", "Mobile plan",
     "Mobile plan, her daughter lives in London, they video call every night. Wants unlimited international calls, "
     "to stay close to her.",
     "phone-plan", 3, "belonging"),
    ("N9202", "Aroha Wiremu", "Phone Plan", "SIM only",
     "SIM only deal, wants the cheapest plan. Price is everything.",
     "phone-plan", 1, None),
    ("N9203", "Tom Becker", "Phone Plan", "Plan upgrade",
     "Phone plan upgrade, runs out of data every month. Works on the road, needs to be online for work, emails and maps.",
     "phone-plan", 3, None),
    ("N9204", "Tom Becker", "Phone Plan", "Kids plan",
     "Phone plan for his 12 year old. Wants to know she's safe getting to and from school, that she can always call.",
     "phone-plan", 3, "security"),
    ("N9205", "Dana Lee", "Phone Plan", "Mobile",
     "mobile plan, coverage at the farm is terrible, drops out all the time. Needs to be reachable for the kids.",
     "phone-plan", 2, None),
    ("N9206", "Dana Lee", "Phone Plan", "Data",
     "More data for the commute, streams shows on the train to unwind.",
     "phone-plan", 3, "enjoyment"),
    ("N9207", "Sam Ortiz", "Phone Plan", "Contract",
     "Phone contract ending, wants no lock in. Asked about price and the handset deal.",
     "phone-plan", 1, None),
    ("N9208", "Sam Ortiz", "Phone Plan", "Plan",
     "Phone plan for a small business owner, needs to answer customers on the go or he loses jobs.",
     "phone-plan", 2, None),
    ("N9209", "Lucy Fraser", "Phone Plan", "Plan",
     "Cheaper phone plan so there's more money for the kids' activities.",
     "phone-plan", 2, None),
    ("N9210", "Lucy Fraser", "Phone Plan", "Enquiry",
     "Phone plan enquiry. Sent comparison table.",
     "phone-plan", 0, None),

    # ---- retirement savings ------------------------------------------------------------------
    ("N9301", "Ken Watanabe", "Retirement Savings", "Super",
     "Super fund consolidation, 3 accounts from old jobs. Wants to retire at 60 and travel, have his time to himself.",
     "retirement-savings", 3, None),
    ("N9302", "Ken Watanabe", "Retirement Savings", "Pension",
     "Pension top up. Self employed, nothing saved, worried she'll have to depend on her kids. Doesn't want to be a "
     "burden.",
     "retirement-savings", 2, None),
    ("N9303", "Priya Nair", "Retirement Savings", "KiwiSaver",
     "KiwiSaver fund switch, wants the money to grow, happy with more risk. Fees compared.",
     "retirement-savings", 1, None),
    ("N9304", "Priya Nair", "Retirement Savings", "Retirement",
     "Retirement savings plan. Wants a comfortable old age and to feel secure, saw what happened to her parents.",
     "retirement-savings", 3, "security"),
    ("N9305", "Mo Haddad", "Retirement Savings", "Ethical super",
     "Super fund, wants ethical investments, no fossil fuels. Cares about the planet his kids will live on.",
     "retirement-savings", 2, "purpose"),
    ("N9306", "Mo Haddad", "Retirement Savings", "Call",
     "Pension call, asked about the fees and the tax benefits. Will think about it.",
     "retirement-savings", 1, None),
    ("N9307", "Dana Lee", "Retirement Savings", "Retirement",
     "Retirement saving, started late at 52, needs to catch up. Wants to stop work before 67 and be free.",
     "retirement-savings", 3, "freedom"),
    ("N9308", "Dana Lee", "Retirement Savings", "Annuity",
     "Annuity quote. Wants to leave something for the grandchildren.",
     "retirement-savings", 2, "family"),

    # ---- power drills ------------------------------------------------------------------------
    ("N9401", "Tom Becker", "Power Tools", "Drill",
     "Cordless drill for a first home owner, lots of shelves and pictures to hang. Wants to do it himself rather than "
     "pay someone.",
     "power-drill", 3, None),
    ("N9402", "Tom Becker", "Power Tools", "Hammer drill",
     "Hammer drill for a sparky, drills into concrete all day. Needs power and a battery that lasts.",
     "power-drill", 2, None),
    ("N9403", "Aroha Wiremu", "Power Tools", "Gift",
     "Drill as a gift for her dad's 60th, he's always building something in the shed.",
     "power-drill", 2, None),
    ("N9404", "Aroha Wiremu", "Power Tools", "Drill",
     "Drill driver, building a treehouse for the kids. Wants them to have the childhood he had.",
     "power-drill", 2, "family"),
    ("N9405", "Ken Watanabe", "Power Tools", "Drill kit",
     "Impact driver kit, cheapest one in the catalogue. Price only.",
     "power-drill", 1, None),
    ("N9406", "Ken Watanabe", "Power Tools", "Drill",
     "Drill for a beginner, taking up woodwork as a hobby, wants to learn a new skill.",
     "power-drill", 2, "growth"),

    # ---- German notes (home-loan-de) ------------------------------------------------------
    ("N1101", "Tom Becker", "Baufinanzierung", "Baufinanzierung Familie Krause",
     "Familie Krause möchte eine Baufinanzierung für ein Reihenhaus. Die Kinder brauchen mehr Platz, aktuell 3 Zimmer "
     "für 5 Personen. Sie wollen nicht mehr an den Vermieter zahlen.",
     "home-loan-de", 2, None),
    ("N1102", "Tom Becker", "Baufinanzierung", "Anschlussfinanzierung",
     "Anschlussfinanzierung, Zinsbindung läuft aus. Kunde will nur den günstigsten Zins, Angebot geschickt.",
     "home-loan-de", 0, None),
    ("N1103", "Tom Becker", "Baufinanzierung", "Hauskauf",
     "Kredit für ein Haus auf dem Land. Er will für die Familie sorgen und den Kindern etwas hinterlassen. "
     "Die Familie ist ihm das Wichtigste.",
     "home-loan-de", 3, "family"),
    ("N1104", "Lucy Fraser", "Baufinanzierung", "Eigentumswohnung",
     "Eigentumswohnung kaufen, Darlehen nötig. Kundin will Sicherheit im Alter und keine Miete mehr zahlen, wenn sie in "
     "Rente ist.",
     "home-loan-de", 3, "security"),
    ("N1105", "Lucy Fraser", "Baufinanzierung", "Baufinanzierung",
     "Baufinanzierung, Termin am Dienstag. Unterlagen fehlen noch.",
     "home-loan-de", 0, None),
    ("N1106", "Tom Becker", "Baufinanzierung", "Hypothek",
     "Hypothek für den Hausbau. Junge Familie, zweites Kind kommt, sie brauchen mehr Platz und einen Garten für die "
     "Kinder.",
     "home-loan-de", 2, "family"),

    # ---- notes with no need ------------------------------------------------------------------
    ("N0001", "Dana Lee", "Home Loan", "Call", "Left voicemail.", None, 0, None),
    ("N0002", "Sam Ortiz", "Car Loan", "Call", "No answer, try again Thu pm.", None, 0, None),
    ("N0003", "Priya Nair", "CRM Suite", "Email", "Emailed deck + case studies. Waiting to hear back.", None, 0, None),
    ("N0004", "Ken Watanabe", "Home Loan", "Admin", "Updated address and phone number in the system.", None, 0, None),
    ("N0005", "Lucy Fraser", "Holiday Package", "Call",
     "Wrong number, not interested. Remove from list.", None, 0, None),
    ("N0006", "Mo Haddad", "Life Cover", "Meeting",
     "Rescheduled meeting to next week, client sick.", None, 0, None),
    ("N0007", "Tom Becker", "Online Course", "Call", "Spoke briefly, will call back after school pickup.", None, 0, None),
    ("N0008", "Aroha Wiremu", "Home Loan", "Note",
     "Client is lovely, very chatty. Talked about the weather and the rugby mostly.", None, 0, None),
    ("N0009", "Dana Lee", "CRM Suite", "Intro", "Intro email bounced, found new contact on LinkedIn.", None, 0, None),
    ("N0010", "Ken Watanabe", "Car Loan", "Call", "Customer on holiday until the 20th, out of office.", None, 0, None),

    # ---- several needs --------------------------------------------------------------------
    ("N9901", "Dana Lee", "Home Loan", "Mortgage + car",
     "Wants a mortgage and also a car loan for the wife's car. Asked about discount on fees if both with us.",
     "home-loan", 0, None),
    ("N9902", "Sam Ortiz", "Home Loan", "Mortgage + life cover",
     "Mortgage for a first home, and life insurance so the family is protected if something happens to him. Wants to "
     "provide for the kids.",
     "home-loan", 2, "family"),
    ("N9903", "Priya Nair", "Business Loan", "Biz loan + CRM",
     "Business loan to expand the shop, and they're looking at a CRM to track leads from the new store.",
     "business-loan", 0, None),
]

FIELDS = ["Id", "OwnerName", "Product", "Subject", "Body"]


def main():
    ids = set()
    for note in NOTES:
        assert len(note) == 8, note[0]
        assert note[0] not in ids, note[0]
        ids.add(note[0])

    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(FIELDS)
    for note in NOTES:
        writer.writerow(note[:5])
    with open(os.path.join(HERE, "deals.csv"), "w", encoding="utf-8-sig", newline="") as f:
        f.write(out.getvalue())

    with open(os.path.join(HERE, "deals.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for note in NOTES:
            f.write(json.dumps(dict(zip(FIELDS, note[:5])), ensure_ascii=False) + "\n")

    with open(os.path.join(HERE, "labels.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for note in NOTES:
            label = {"id": note[0], "need": note[5], "depth": note[6], "motivation": note[7]}
            f.write(json.dumps(label, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
