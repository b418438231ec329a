"""Short news sentences per language, written for these tests."""

SENTENCES = {
    "ar": "قال المتحدث باسم الكرملين إن موسكو مستعدة لمواصلة المفاوضات مع كييف في إسطنبول الأسبوع المقبل.",
    "fa": "سخنگوی کرملین روز جمعه گفت که مسکو آماده است مذاکرات با کی‌یف را در استانبول ادامه دهد.",
    "ru": "Пресс-секретарь президента России заявил, что Москва готова продолжить переговоры с Киевом в Стамбуле.",
    "uk": "Речник Кремля заявив, що Москва готова продовжити переговори з Києвом у Стамбулі наступного тижня.",
    "de": "Der Kremlsprecher sagte am Freitag, Moskau sei bereit, die Gespräche mit Kiew in Istanbul fortzusetzen.",
    "en": "The Kremlin spokesman said on Friday that Moscow was ready to continue the talks with Kyiv in Istanbul.",
    "fr": "Le porte-parole du Kremlin a déclaré vendredi que Moscou était prête à poursuivre les pourparlers avec Kiev.",
    "tr": "Kremlin Sözcüsü cuma günü yaptığı açıklamada Moskova'nın İstanbul'daki görüşmelere devam etmeye hazır olduğunu söyledi.",
    "es": "El portavoz del Kremlin dijo el viernes que Moscú estaba dispuesto a continuar las conversaciones con Kiev.",
    "it": "Il portavoce del Cremlino ha detto venerdì che Mosca è pronta a proseguire i colloqui con Kiev a Istanbul.",
    "pl": "Rzecznik Kremla powiedział w piątek, że Moskwa jest gotowa kontynuować rozmowy z Kijowem w Stambule.",
}

# Two sentences per language: the segmenter must split them in two.
TWO_SENTENCES = {
    "ar": "وصل الوفد الروسي إلى إسطنبول صباح الجمعة. وبدأت المحادثات بعد الظهر.",
    "fa": "هیئت روسیه صبح جمعه به استانبول رسید. مذاکرات بعدازظهر آغاز شد.",
    "ru": "Российская делегация прибыла в Стамбул в пятницу утром. Переговоры начались днём.",
    "uk": "Російська делегація прибула до Стамбула в п'ятницю вранці. Переговори почалися вдень.",
    "de": "Die russische Delegation traf am Freitagmorgen in Istanbul ein. Die Gespräche begannen am Nachmittag.",
    "en": "The Russian delegation arrived in Istanbul on Friday morning. The talks began in the afternoon.",
    "fr": "La délégation russe est arrivée à Istanbul vendredi matin. Les pourparlers ont commencé l'après-midi.",
    "tr": "Rus heyeti cuma sabahı İstanbul'a geldi. Görüşmeler öğleden sonra başladı.",
}
