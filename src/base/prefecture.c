/* prefecture.c: the prefectures by JIS X 0401 code (prefecture.h). */
#include "mnvault/prefecture.h"

#include <string.h>

static const char *const names[PREFECTURE_COUNT + 1] = {
    "",       "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県",   "福島県",
    "茨城県", "栃木県", "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県",
    "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県",   "愛知県",
    "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県",
    "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県",   "高知県",
    "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
};

/* The name without its last character (都 道 府 県, three bytes each), except 北海道. */
static size_t stem_len(int code)
{
    size_t n = strlen(names[code]);
    return code == 1 ? n : n - 3;
}

int prefecture_find(const char *name)
{
    for (int i = 1; i <= PREFECTURE_COUNT; i++)
        if (strcmp(name, names[i]) == 0 ||
            (strlen(name) == stem_len(i) && strncmp(name, names[i], stem_len(i)) == 0))
            return i;
    return 0;
}

const char *prefecture_name(int code)
{
    return code >= 1 && code <= PREFECTURE_COUNT ? names[code] : "";
}

int prefecture_of_address(const char *address)
{
    for (int i = 1; i <= PREFECTURE_COUNT; i++)
        if (strncmp(address, names[i], strlen(names[i])) == 0)
            return i;
    return 0;
}
