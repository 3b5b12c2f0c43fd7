"""The public facts behind the demo data set (tracker/demo.py): real platforms with their law
enforcement contact points, and real proscribed groups with their public designations."""

from datetime import date

from accounts.choices import Authority

PLATFORMS = [
    ("x", "X (Twitter)", "https://help.x.com/en/forms/authority", ""),
    ("facebook", "Facebook", "https://www.facebook.com/records/login/", ""),
    ("instagram", "Instagram", "https://www.facebook.com/records/login/", ""),
    ("whatsapp", "WhatsApp", "https://www.whatsapp.com/records/login/", ""),
    ("telegram", "Telegram", "", "abuse@telegram.org"),
    ("youtube", "YouTube", "https://support.google.com/legal/contact/lr_legalother", ""),
    ("tiktok", "TikTok", "https://www.tiktok.com/legal/page/global/law-enforcement/en", ""),
]

# Public facts from the UN Consolidated List (Feb 2026), the US FTO/SDN lists, the UK Home
# Office list and NACTA's First Schedule. Dates are given only where the list publishes them.
GROUPS = [
    {
        "name": "Tehrik-e Taliban Pakistan",
        "country": "Pakistan",
        "aliases": [
            "TTP",
            "Tehrik-I-Taliban Pakistan",
            "Tehreek-e-Taliban",
            "Pakistani Taliban",
            "تحریک طالبان پاکستان",
        ],
        "designations": [
            (Authority.UN, "QDe.132", date(2011, 7, 29)),
            (Authority.US_FTO, "12206", date(2010, 9, 1)),
            (Authority.UK_PROSCRIBED, "", date(2011, 1, 28)),
            (Authority.PK_NACTA, "", date(2008, 8, 25)),
        ],
    },
    {
        "name": "Lashkar-e-Tayyiba",
        "country": "Pakistan",
        "aliases": ["LeT", "Lashkar-e-Toiba", "Lashkar-i-Taiba", "Army of the Pure", "لشکر طیبہ"],
        "designations": [
            (Authority.UN, "QDe.118", date(2005, 5, 2)),
            (Authority.US_FTO, "7140", date(2001, 12, 26)),
            (Authority.UK_PROSCRIBED, "", date(2001, 3, 29)),
            (Authority.PK_NACTA, "", date(2002, 1, 14)),
        ],
    },
    {
        "name": "Jaish-i-Mohammed",
        "country": "Pakistan",
        "aliases": ["JeM", "Jaish-e-Mohammed", "Army of Mohammed", "جیش محمد"],
        "designations": [
            (Authority.UN, "QDe.019", date(2001, 10, 17)),
            (Authority.US_FTO, "6935", date(2001, 12, 26)),
            (Authority.UK_PROSCRIBED, "", date(2001, 3, 29)),
            (Authority.PK_NACTA, "", date(2002, 1, 14)),
        ],
    },
    {
        "name": "Balochistan Liberation Army",
        "country": "Pakistan",
        "aliases": ["BLA", "Majeed Brigade", "بلوچستان لبریشن آرمی"],
        "designations": [
            (Authority.PK_NACTA, "", date(2006, 4, 7)),
            (Authority.UK_PROSCRIBED, "", date(2006, 7, 17)),
            (Authority.US_SDGT, "", date(2019, 7, 2)),
            (Authority.US_FTO, "", date(2025, 8, 11)),
        ],
    },
    {
        "name": "Islamic State in Iraq and the Levant - Khorasan",
        "country": "Afghanistan",
        "aliases": [
            "ISIL-K",
            "ISKP",
            "ISIS-K",
            "ISIL Khorasan",
            "Islamic State Khorasan Province",
            "ولایت خراسان",
        ],
        "designations": [
            (Authority.UN, "QDe.161", date(2019, 5, 14)),
            (Authority.US_FTO, "18647", date(2016, 1, 14)),
        ],
    },
    {
        "name": "Al-Qaida",
        "country": "",
        "aliases": ["Al Qaeda", "The Base", "القاعدة"],
        "designations": [
            (Authority.UN, "QDe.004", date(2001, 10, 6)),
            (Authority.US_FTO, "6366", date(1999, 10, 8)),
            (Authority.UK_PROSCRIBED, "", date(2001, 3, 29)),
        ],
    },
    {
        "name": "Lashkar i Jhangvi",
        "country": "Pakistan",
        "aliases": ["LJ", "LeJ", "Lashkar-e-Jhangvi", "لشکر جھنگوی"],
        "designations": [
            (Authority.UN, "QDe.096", date(2003, 2, 3)),
            (Authority.US_FTO, "7331", date(2003, 1, 30)),
            (Authority.PK_NACTA, "", date(2001, 8, 14)),
        ],
    },
    {
        "name": "Haqqani Network",
        "country": "Afghanistan",
        "aliases": ["HQN", "شبکه حقانی"],
        "designations": [
            (Authority.UN, "TAe.012", date(2012, 11, 5)),
            (Authority.US_FTO, "15484", date(2012, 9, 19)),
        ],
    },
    {
        "name": "Harakat ul-Mujahidin",
        "country": "Pakistan",
        "aliases": ["HUM", "Harakat Ul-Ansar", "HUA", "Harakat Ul-Mujahideen"],
        "designations": [
            (Authority.UN, "QDe.008", date(2001, 10, 6)),
            (Authority.US_FTO, "4696", date(1997, 10, 8)),
            (Authority.UK_PROSCRIBED, "", date(2001, 3, 29)),
        ],
    },
    {
        "name": "Jamaat-ul-Ahrar",
        "country": "Pakistan",
        "aliases": [
            "JuA",
            "Jamaat-e-Ahrar",
            "Tehrik-e Taliban Pakistan Jamaat ul Ahrar",
            "جمات ال احرار",
        ],
        "designations": [(Authority.UN, "QDe.152", date(2017, 7, 6))],
    },
    {
        "name": "Harakat-ul Jihad Islami",
        "country": "Pakistan",
        "aliases": ["HUJI", "Movement of Islamic Holy War", "حرکت الجہاد الاسلامی"],
        "designations": [(Authority.UN, "QDe.130", date(2010, 8, 6))],
    },
    {
        "name": "Al-Qaida in the Indian Subcontinent",
        "country": "",
        "aliases": ["AQIS"],
        "designations": [(Authority.US_FTO, "20159", date(2016, 7, 1))],
    },
    {
        "name": "Tariq Gidar Group",
        "country": "Pakistan",
        "aliases": ["TGG", "TTP Geedar Group", "طارق گیدڑ گروپ"],
        "designations": [(Authority.UN, "QDe.160", date(2019, 3, 22))],
    },
]
