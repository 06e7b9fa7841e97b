# Shared by the bench scripts: `source bench/lib.sh`, then `warn_about_fs DIR`, `hugo_site`, `field`, `median`.

# Warns on stderr when DIR is on an ext4 file system without a journal. There, ext4's inode
# allocator skips every inode freed in the last one to six minutes and reads the inode
# table for each (`recently_deleted`, only checked when there is no journal), so a build
# run within minutes of removing a large output (another benchmark's, say) creates its
# files several times slower, and its figures mean little. bench/HISTORY.md, "Issue 6
# figures", fifth session.
warn_about_fs() {
    if ! deleting_is_safe "$1"; then
        echo "note: $1 is on ext4 without a journal ($(findmnt -n -o SOURCE -T "$1")): creating files there is slow for" \
            "minutes after many were removed (a previous benchmark's output); wait, or set" \
            "TMPDIR to a journaled file system" >&2
    fi
}

# Whether removing a large output from DIR leaves file creation there as fast as before:
# false on ext4 without a journal (see warn_about_fs), true elsewhere. The scripts that
# build into new folders round after round remove each one after timing it where this is
# true, so that every round finds the same file system; where it is false they keep them
# all to the end (and the file system fills: later rounds run a little slower).
deleting_is_safe() {
    local source fstype dev
    source=$(findmnt -n -o SOURCE -T "$1" 2>/dev/null) || return 0
    fstype=$(findmnt -n -o FSTYPE -T "$1" 2>/dev/null) || return 0
    dev=${source##*/}
    ! [[ $fstype == ext4 && -d /proc/fs/ext4/$dev ]] || compgen -G "/proc/fs/jbd2/$dev-*" >/dev/null
}

# Lays out the Hugo counterpart of the digest site SITE in HSITE: bench/hugo/ (config and
# templates) plus the same article files (hard links, so no copy; a folder article with
# its lead image is a Hugo leaf bundle) under content/articles/. A company profile becomes
# the term page's content, content/companies/<slug>/_index.md, with `name` as Hugo's
# `title` and `aliases` renamed: in Hugo `aliases` means redirects.
hugo_site() {
    local site=$1 hsite=$2 f slug
    cp -r "$(dirname "${BASH_SOURCE[0]}")/hugo" "$hsite"
    mkdir -p "$hsite/content/companies"
    cp -al "$site/content/articles" "$hsite/content/articles"
    for f in "$site"/content/companies/*.md; do
        slug=$(basename "$f" .md)
        mkdir -p "$hsite/content/companies/$slug"
        sed -e 's/^name = /title = /' -e 's/^aliases = /other_names = /' "$f" \
            >"$hsite/content/companies/$slug/_index.md"
    done
}

# field PREFIX KEY: one value per `/usr/bin/time -v` report PREFIX.*.time (PREFIX.r.time
# per round r, PREFIX.r.k.time for repeats), in run order: KEY wall (seconds), cpu
# (user + system seconds) or rss (peak, KB).
field() {
    local f
    for f in $(ls "$1".*.time | sort -V); do
        awk -v key="$2" '
            key == "wall" && /Elapsed \(wall clock\)/ {
                n = split($NF, p, ":"); s = 0
                for (i = 1; i <= n; i++) s = s * 60 + p[i]
                print s }
            key == "rss" && /Maximum resident set size/ { print $NF }
            key == "cpu" && /User time|System time/ { s += $NF }
            END { if (key == "cpu") print s }' "$f"
    done
}

# The median of the numbers on stdin, one a line.
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
