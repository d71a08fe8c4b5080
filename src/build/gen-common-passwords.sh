#!/bin/sh
# gen-common-passwords.sh: print data/common-passwords.txt, the list of guessable passwords
# that pwpolicy refuses besides what cracklib's dictionary catches.
#   sh src/build/gen-common-passwords.sh > data/common-passwords.txt
# The list is GENERATED from patterns, not taken from any breach corpus: keyboard walks on a
# QWERTY/JIS keyboard (rows, columns, zig-zags, both directions), runs of the alphabet and
# digits, and common words people build passwords from (password/admin variants, English
# words, romanised Japanese words and names, words of an HR office). pwpolicy also strips
# surrounding digits and symbols, undoes look-alike substitutions and catches repeats and
# two entries joined, so "Sakura2024!" or "p@ssw0rdp@ssw0rd" need no entry of their own.
set -eu
LC_ALL=C
export LC_ALL

words() {
cat <<'W'
password passwd passw0rd passcode passphrase pass
admin administrator adminadmin root superuser sysadmin sysop operator manager
user username guest login logon welcome welcome1 letmein default changeme
secret private private1 master test tester testing temp temporary demo sample example
qwerty azerty qwertz asdf zxcv abcd abcdef iloveyou loveyou love lover
trustno1 whatever nothing anything something everything someone access entry
monkey dragon shadow sunshine princess football baseball soccer tennis hockey
superman batman spiderman starwars pokemon pikachu doraemon totoro ghibli naruto
gundam anpanman hellokitty kitty snoopy mickey minnie disney
computer internet network server windows linux ubuntu debian google yahoo
apple orange banana cherry lemon melon peach strawberry chocolate cookie coffee
summer winter spring autumn sunday monday friday january december
freedom liberty justice victory success money dollar wealth lucky happy smile
angel devil heaven purple yellow silver golden black white
flower forest ocean river mountain island rainbow thunder lightning tiger lion
eagle falcon wolf bear dolphin penguin rabbit puppy kitten
hello hallo goodbye thanks please sorry family friend friends baby darling honey
killer hunter ranger soldier warrior ninja samurai shogun
q1w2e3 q1w2e3r4 1q2w3e 1q2w3e4r zaq1 zaq12wsx 1qaz2wsx qazwsx qazwsxedc
abc123 a1b2c3 aa11 abab
sakura hanako taro tarou jiro jirou hana yuki tsuki hoshi sora umi kawa yama mori
nippon nihon japan tokyo osaka kyoto nagoya yokohama kobe sapporo fukuoka sendai
hiroshima okinawa hokkaido kyushu shikoku fujisan fuji
arigatou arigato konnichiwa konbanwa ohayou ohayo sayonara sayounara
daisuki suki aishiteru aishiteiru kawaii sugoi yatta ganbare ganbatte
neko inu tori sakana ramen sushi tempura udon soba onigiri matcha
genki tanoshii ureshii himitsu anshin anzen
sato satou suzuki takahashi tanaka watanabe ito itou yamamoto nakamura kobayashi
kato katou yoshida yamada sasaki yamaguchi matsumoto inoue kimura hayashi shimizu
yamazaki mori abe ikeda hashimoto yamashita ishikawa nakajima maeda fujita ogawa
goto gotou okada hasegawa murakami kondo kondou ishii saito saitou sakamoto endo
aoki fujii nishimura fukuda ota oota miura fujiwara okamoto matsuda nakagawa
hiroshi takashi takeshi kenji kenta kazuki daiki shota shouta yuta yuuta haruto
ryota ryouta sota souta akira makoto satoshi yusuke yuusuke daisuke ichiro ichirou
yuko yuuko akiko keiko yoko youko tomoko naoko kyoko kyouko yumi yuka ayaka misaki
sakiko haruka nanami aoi yui mei rin riko emi mika megumi kaori yumiko
jinji soumu somu keiri kyuyo kyuuyo shain kaisha jimusho honsha shisha kaikei
roumu romu nenkin hoken zeimu zeikin gensen nenmatsu chousei nenmatsuchousei
mynumber mainanba mainanbaa kojinbangou kojinbango bangou bango kojin jouhou
mnvault vault hrdept humanresources payroll salary employee office company
W
}

awk -v words="$(words | tr '\n' ' ')" '
function add(s) { if (length(s) >= 4) out[s] = 1 }
function rev(s,   r, i) { r = ""; for (i = length(s); i > 0; i--) r = r substr(s, i, 1); return r }
# every substring of s from lo to hi characters long, and its reverse
function runs(s, lo, hi,   L, i, t) {
    for (L = lo; L <= hi && L <= length(s); L++)
        for (i = 1; i + L - 1 <= length(s); i++) { t = substr(s, i, L); add(t); add(rev(t)) }
}
function prefixes(s, lo, hi,   L) {
    for (L = lo; L <= hi && L <= length(s); L++) add(substr(s, 1, L))
}
BEGIN {
    # keyboard rows, one after another and as a wrapping strip
    rows = "1234567890qwertyuiopasdfghjklzxcvbnm"
    runs(rows, 4, 20)
    runs("1234567890-^\\", 4, 13); runs("qwertyuiop@[", 4, 12)
    runs("asdfghjkl;:]", 4, 12);   runs("zxcvbnm,./", 4, 10)
    runs("!\"#$%&'"'"'()", 4, 9)
    # columns down and up, and zig-zags between neighbouring columns
    runs("1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/", 4, 20)
    runs("zaq1xsw2cde3vfr4bgt5nhy6mju7,ki8.lo9/;p0", 4, 20)
    runs("1qazxsw23edcvfr45tgbnhy67ujm,ki89ol./;p0", 4, 20)
    runs("zaq12wsxcde34rfvbgt56yhnmju78ik,.lo90p;/", 4, 20)
    # pairs of neighbouring keys walked along a row
    prefixes("1q2w3e4r5t6y7u8i9o0p", 4, 20); prefixes("q1w2e3r4t5y6u7i8o9p0", 4, 20)
    prefixes("qawsedrftgyhujikolp", 4, 19);  prefixes("azsxdcfvgbhnjmk,l.", 4, 18)
    prefixes("1a2s3d4f5g6h7j8k9l", 4, 18);    prefixes("qazwsxedcrfvtgbyhnujm", 4, 21)
    # the alphabet and the digits
    runs("abcdefghijklmnopqrstuvwxyz", 4, 26)
    runs("01234567890123456789", 4, 20)
    runs("13579", 4, 5); runs("02468", 4, 5)
    # words
    n = split(words, w, " ")
    for (i = 1; i <= n; i++) { add(w[i]); add(rev(w[i])) }
    for (s in out) print s
}' | sort -u | {
    echo "# mnvault common-password list: generated by src/build/gen-common-passwords.sh"
    echo "# from keyboard patterns, sequences and common words; not a breach list. One per line."
    cat
}
