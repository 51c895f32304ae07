/* roleplan._scan: the classifier's scan kernel in C (optional; the pure-Python reference is core/classify.py).
 *
 * It does one job: normalise a text and walk the phrase trie, giving exactly what
 * `scan_python(normalise(text))` in core/classify.py gives (tests/core/test_classify_native.py compares the
 * two on the fixtures, on Hypothesis postings and under a retuned configuration):
 *
 *   normalised()  normalise() after its HTML step (which stays in Python): lower case, punctuation a space,
 *                 segment breaks \x01
 *   scan_text()   scan_python(): segments, headings, the longest phrase at each word, negations, colleagues'
 *                 duties, boilerplate, company text
 *
 * It holds no weights and no rules: the decision (features, the fitted model, hybrid, confidence, evidence)
 * is Python's alone, so refitting or retuning the model never touches this file.
 *
 * Why it is kept: on the CLI batch workload (`bench/classify_batch.py --sizes 10000,30000`, JSONL in and
 * out, 3 KB postings) it makes a record 2.4x cheaper after start-up, 93 vs 222 us per record with
 * ROLEPLAN_PURE_PYTHON=1 (the CLI 9,600-10,100 vs 4,200 postings per CPU second at 30k; the scan alone
 * ~15 us vs 140-240 us), measured on a shared 2-vCPU machine on 2026-12-03.
 *
 * The configuration arrives flattened into integer tables by `native_tables` in core/classify.py:
 *
 *   words     list of the vocabulary's words (their index is the word id)
 *   flags     bytes, one per word: 1 skip word, 2 negation, 4 mention cue, 8 "only/just", 16 first word of
 *             a heading, 32 last word of a heading
 *   edges     list of (parent node, word id, child node); node 0 is the root
 *   payloads  per node, a tuple of (kind, index) pairs: 0 signal, 1 mention, 2 boilerplate, 3 company text
 *   headings  the section headings as two more tries over word ids (whole segments, and first words) with
 *             the section each node ends, the section names and their weights
 *   nsig      the number of signals (payload indexes are checked against it)
 *   table, wide  what each ASCII byte becomes, and the non-ASCII delimiters (bullets) in UTF-8
 *
 * SCAN_ABI changes with this interface; core/classify.py ignores a build with another (a stale build). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <math.h>
#include <string.h>

#define SCAN_ABI 2
#define HEADING_MAX 64 /* words of the longest exact heading */

enum { F_SKIP = 1, F_NEG = 2, F_CUE = 4, F_NOTONLY = 8, F_HFIRST = 16, F_HLAST = 32 };
enum { K_SIGNAL = 0, K_MENTION = 1, K_BOILER = 2, K_COMPANY = 3 };

typedef struct {
    uint64_t hash;
    int32_t id; /* -1: empty slot */
} WordSlot;

typedef struct {
    uint64_t key; /* parent node << 32 | word id */
    int32_t child; /* -1: empty slot */
} EdgeSlot;

typedef struct {
    EdgeSlot *tab;
    uint64_t mask;
} Edges;

typedef struct {
    Py_ssize_t nwords;
    char **word_ptr;
    Py_ssize_t *word_len;
    unsigned char *flags;
    WordSlot *wtab;
    uint64_t wmask;
    Edges trie;
    int32_t *root; /* per word id: the trie node its phrases start at, or -1 (the root's edges, unhashed) */
    Py_ssize_t nnodes;
    int32_t *pay_off; /* per node: first pair in pay */
    int32_t *pay_n;   /* per node: number of pairs (0: no phrase ends here) */
    int32_t *pay;     /* kind, index, kind, index, ... */
    PyObject *mention_roles; /* tuple of frozensets */
    Edges hexact, hprefix;    /* headings: whole segment, and the first words of a segment */
    int32_t *hexact_kind, *hprefix_kind; /* per node: the section it opens, or -1 */
    PyObject *kinds;          /* tuple of section names */
    double *kind_w;           /* per section: its weight */
    unsigned char *kind_intro; /* the section is "intro" */
    PyObject *intro;
    PyObject *company;
    Py_ssize_t hmax, neg_w, cue_w;
    Py_ssize_t nsig; /* signals: payload indexes are below this */
    /* normalise(): what each ASCII byte becomes, and the non-ASCII delimiters (UTF-8) that end a segment */
    char table[128];
    unsigned char wide[8][4];
    int wide_len[8], nwide;
} Matcher;

typedef struct {
    const char *s;
    Py_ssize_t n;
    int32_t wid; /* -1: not in the vocabulary */
    unsigned char fl;
} Tok;

static const char CAPSULE[] = "roleplan._scan.Matcher";

#define FNV_OFFSET 1469598103934665603ULL
#define FNV_PRIME 1099511628211ULL

static inline uint64_t fnv1a(const char *s, Py_ssize_t n)
{
    uint64_t h = FNV_OFFSET;
    for (Py_ssize_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= FNV_PRIME;
    }
    return h;
}

/* what str.split() splits on, within ASCII: \t \n \v \f \r, \x1c-\x1f and the space */
static const unsigned char SPACE[256] = {
    [9] = 1, [10] = 1, [11] = 1, [12] = 1, [13] = 1, [0x1c] = 1, [0x1d] = 1, [0x1e] = 1, [0x1f] = 1, [32] = 1,
};

static inline uint64_t mix64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

static inline int32_t word_lookup(const Matcher *m, const char *s, Py_ssize_t n, uint64_t h)
{
    uint64_t i = h & m->wmask;
    for (;;) {
        const WordSlot *sl = &m->wtab[i];
        if (sl->id < 0)
            return -1;
        if (sl->hash == h && m->word_len[sl->id] == n && memcmp(m->word_ptr[sl->id], s, (size_t)n) == 0)
            return sl->id;
        i = (i + 1) & m->wmask;
    }
}

static inline int32_t word_id(const Matcher *m, const char *s, Py_ssize_t n)
{
    return word_lookup(m, s, n, fnv1a(s, n));
}

static inline int32_t edge(const Edges *t, int32_t node, int32_t wid)
{
    if (wid < 0 || node < 0)
        return -1;
    uint64_t key = ((uint64_t)(uint32_t)node << 32) | (uint32_t)wid;
    uint64_t i = mix64(key) & t->mask;
    for (;;) {
        const EdgeSlot *sl = &t->tab[i];
        if (sl->child < 0)
            return -1;
        if (sl->key == key)
            return sl->child;
        i = (i + 1) & t->mask;
    }
}

static void matcher_free(Matcher *m)
{
    if (m == NULL)
        return;
    if (m->word_ptr != NULL) {
        for (Py_ssize_t i = 0; i < m->nwords; i++)
            PyMem_Free(m->word_ptr[i]);
    }
    PyMem_Free(m->word_ptr);
    PyMem_Free(m->word_len);
    PyMem_Free(m->flags);
    PyMem_Free(m->wtab);
    PyMem_Free(m->trie.tab);
    PyMem_Free(m->root);
    PyMem_Free(m->hexact.tab);
    PyMem_Free(m->hprefix.tab);
    PyMem_Free(m->hexact_kind);
    PyMem_Free(m->hprefix_kind);
    PyMem_Free(m->kind_w);
    PyMem_Free(m->kind_intro);
    Py_XDECREF(m->kinds);
    PyMem_Free(m->pay_off);
    PyMem_Free(m->pay_n);
    PyMem_Free(m->pay);
    Py_XDECREF(m->mention_roles);
    Py_XDECREF(m->intro);
    Py_XDECREF(m->company);
    PyMem_Free(m);
}

static void capsule_destructor(PyObject *capsule)
{
    matcher_free((Matcher *)PyCapsule_GetPointer(capsule, CAPSULE));
}

static uint64_t table_size(Py_ssize_t n)
{
    uint64_t size = 16;
    while (size < (uint64_t)n * 2 + 1)
        size <<= 1;
    return size;
}

static int read_int(PyObject *obj, Py_ssize_t lo, Py_ssize_t hi, const char *what, Py_ssize_t *out)
{
    Py_ssize_t v = PyLong_AsSsize_t(obj);
    if (v == -1 && PyErr_Occurred())
        return -1;
    if (v < lo || v >= hi) {
        PyErr_Format(PyExc_ValueError, "%s out of range: %zd", what, v);
        return -1;
    }
    *out = v;
    return 0;
}


static int32_t *int_list(PyObject *list, Py_ssize_t n, Py_ssize_t lo, Py_ssize_t hi, const char *what)
{
    if (!PyList_Check(list) || PyList_GET_SIZE(list) != n) {
        PyErr_Format(PyExc_ValueError, "%s: a list of %zd ints", what, n);
        return NULL;
    }
    int32_t *out = PyMem_Calloc((size_t)n + 1, sizeof(int32_t));
    if (out == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t v;
        if (read_int(PyList_GET_ITEM(list, i), lo, hi, what, &v) < 0) {
            PyMem_Free(out);
            return NULL;
        }
        out[i] = (int32_t)v;
    }
    return out;
}

static unsigned char *byte_copy(PyObject *bytes, Py_ssize_t n, const char *what)
{
    if (PyBytes_GET_SIZE(bytes) != n) {
        PyErr_Format(PyExc_ValueError, "%s: %zd bytes expected", what, n);
        return NULL;
    }
    unsigned char *out = PyMem_Malloc((size_t)n + 1);
    if (out == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    memcpy(out, PyBytes_AS_STRING(bytes), (size_t)n);
    return out;
}

static int edges_build(Edges *t, PyObject *list, Py_ssize_t nnodes, Py_ssize_t nwords)
{
    if (!PyList_Check(list)) {
        PyErr_SetString(PyExc_ValueError, "edges: a list of (parent, word, child) tuples");
        return -1;
    }
    Py_ssize_t n = PyList_GET_SIZE(list);
    uint64_t size = table_size(n);
    t->tab = PyMem_Calloc(size, sizeof(EdgeSlot));
    if (t->tab == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    t->mask = size - 1;
    for (uint64_t i = 0; i < size; i++)
        t->tab[i].child = -1;
    for (Py_ssize_t e = 0; e < n; e++) {
        PyObject *item = PyList_GET_ITEM(list, e);
        Py_ssize_t parent, wid, child;
        if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != 3) {
            PyErr_SetString(PyExc_ValueError, "edges: a list of (parent, word, child) tuples");
            return -1;
        }
        if (read_int(PyTuple_GET_ITEM(item, 0), 0, nnodes, "parent node", &parent) < 0 ||
            read_int(PyTuple_GET_ITEM(item, 1), 0, nwords, "word id", &wid) < 0 ||
            read_int(PyTuple_GET_ITEM(item, 2), 1, nnodes, "child node", &child) < 0)
            return -1;
        if (edge(t, (int32_t)parent, (int32_t)wid) >= 0) {
            PyErr_SetString(PyExc_ValueError, "duplicate edge");
            return -1;
        }
        uint64_t key = ((uint64_t)(uint32_t)parent << 32) | (uint32_t)wid;
        uint64_t i = mix64(key) & t->mask;
        while (t->tab[i].child >= 0)
            i = (i + 1) & t->mask;
        t->tab[i].key = key;
        t->tab[i].child = (int32_t)child;
    }
    return 0;
}

/* The heading tables: (exact edges, exact kinds, prefix edges, prefix kinds, section names, their weights) */
static int build_headings(Matcher *m, PyObject *spec)
{
    PyObject *xedges, *xkind, *pedges, *pkind, *kinds, *weights;
    if (!PyArg_ParseTuple(spec, "O!O!O!O!O!O!", &PyList_Type, &xedges, &PyList_Type, &xkind, &PyList_Type, &pedges,
                          &PyList_Type, &pkind, &PyTuple_Type, &kinds, &PyList_Type, &weights))
        return -1;
    Py_ssize_t nk = PyTuple_GET_SIZE(kinds);
    if (PyList_GET_SIZE(weights) != nk || PyList_GET_SIZE(xkind) < 1 || PyList_GET_SIZE(pkind) < 1) {
        PyErr_SetString(PyExc_ValueError, "heading tables: bad sizes");
        return -1;
    }
    if (edges_build(&m->hexact, xedges, PyList_GET_SIZE(xkind), m->nwords) < 0 ||
        edges_build(&m->hprefix, pedges, PyList_GET_SIZE(pkind), m->nwords) < 0 ||
        (m->hexact_kind = int_list(xkind, PyList_GET_SIZE(xkind), -1, nk, "heading kind")) == NULL ||
        (m->hprefix_kind = int_list(pkind, PyList_GET_SIZE(pkind), -1, nk, "heading kind")) == NULL)
        return -1;
    m->kind_w = PyMem_Calloc((size_t)nk + 1, sizeof(double));
    m->kind_intro = PyMem_Calloc((size_t)nk + 1, 1);
    if (m->kind_w == NULL || m->kind_intro == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t k = 0; k < nk; k++) {
        PyObject *name = PyTuple_GET_ITEM(kinds, k);
        m->kind_w[k] = PyFloat_AsDouble(PyList_GET_ITEM(weights, k));
        if (m->kind_w[k] == -1.0 && PyErr_Occurred())
            return -1;
        if (!PyUnicode_Check(name)) {
            PyErr_SetString(PyExc_ValueError, "section names must be strings");
            return -1;
        }
        m->kind_intro[k] = PyUnicode_CompareWithASCIIString(name, "intro") == 0;
    }
    Py_INCREF(kinds);
    m->kinds = kinds;
    return 0;
}

/* normalise(): the byte table (256 bytes; only ASCII is used) and the wide delimiters (UTF-8 bytes) */
static int build_normalise(Matcher *m, PyObject *table, PyObject *wide)
{
    if (PyBytes_GET_SIZE(table) != 256 || PyTuple_GET_SIZE(wide) > 8) {
        PyErr_SetString(PyExc_ValueError, "normalise tables: 256 bytes and at most 8 delimiters");
        return -1;
    }
    memcpy(m->table, PyBytes_AS_STRING(table), 128);
    m->nwide = (int)PyTuple_GET_SIZE(wide);
    for (int k = 0; k < m->nwide; k++) {
        PyObject *seq = PyTuple_GET_ITEM(wide, k);
        if (!PyBytes_Check(seq) || PyBytes_GET_SIZE(seq) < 2 || PyBytes_GET_SIZE(seq) > 4 ||
            (unsigned char)PyBytes_AS_STRING(seq)[0] < 0xC0) {
            PyErr_SetString(PyExc_ValueError, "a wide delimiter is the UTF-8 of one non-ASCII character");
            return -1;
        }
        m->wide_len[k] = (int)PyBytes_GET_SIZE(seq);
        memcpy(m->wide[k], PyBytes_AS_STRING(seq), (size_t)m->wide_len[k]);
    }
    return 0;
}

/* build(words, flags, edges, payloads, mention_roles, headings, hmax, neg_w, cue_w, nsig, table, wide) */
static PyObject *scan_build(PyObject *self, PyObject *args)
{
    PyObject *words, *flags, *edges, *payloads, *mention_roles, *headings, *table, *wide;
    Py_ssize_t hmax, neg_w, cue_w, nsig;
    if (!PyArg_ParseTuple(args, "O!SO!O!O!O!nnnnSO!", &PyList_Type, &words, &flags, &PyList_Type, &edges,
                          &PyList_Type, &payloads, &PyTuple_Type, &mention_roles, &PyTuple_Type, &headings, &hmax,
                          &neg_w, &cue_w, &nsig, &table, &PyTuple_Type, &wide))
        return NULL;
    Py_ssize_t nwords = PyList_GET_SIZE(words);
    Py_ssize_t nnodes = PyList_GET_SIZE(payloads);
    if (PyBytes_GET_SIZE(flags) != nwords) {
        PyErr_SetString(PyExc_ValueError, "flags must have one byte per word");
        return NULL;
    }
    if (nwords >= INT32_MAX || nnodes >= INT32_MAX || nnodes < 1) {
        PyErr_SetString(PyExc_ValueError, "bad table sizes");
        return NULL;
    }
    Matcher *m = PyMem_Calloc(1, sizeof(Matcher));
    if (m == NULL)
        return PyErr_NoMemory();
    m->nwords = nwords;
    m->nnodes = nnodes;
    m->hmax = hmax;
    m->neg_w = neg_w;
    m->cue_w = cue_w;
    m->nsig = nsig;
    m->word_ptr = PyMem_Calloc((size_t)nwords + 1, sizeof(char *));
    m->word_len = PyMem_Calloc((size_t)nwords + 1, sizeof(Py_ssize_t));
    m->flags = PyMem_Calloc((size_t)nwords + 1, 1);
    uint64_t wsize = table_size(nwords);
    m->wtab = PyMem_Calloc(wsize, sizeof(WordSlot));
    m->pay_off = PyMem_Calloc((size_t)nnodes, sizeof(int32_t));
    m->pay_n = PyMem_Calloc((size_t)nnodes, sizeof(int32_t));
    if (!m->word_ptr || !m->word_len || !m->flags || !m->wtab || !m->pay_off || !m->pay_n) {
        matcher_free(m);
        return PyErr_NoMemory();
    }
    m->wmask = wsize - 1;
    for (uint64_t i = 0; i < wsize; i++)
        m->wtab[i].id = -1;
    memcpy(m->flags, PyBytes_AS_STRING(flags), (size_t)nwords);

    for (Py_ssize_t w = 0; w < nwords; w++) {
        PyObject *word = PyList_GET_ITEM(words, w);
        Py_ssize_t n;
        const char *s;
        if (!PyUnicode_Check(word) || !PyUnicode_IS_ASCII(word) || (s = PyUnicode_AsUTF8AndSize(word, &n)) == NULL) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "words must be ASCII strings");
            matcher_free(m);
            return NULL;
        }
        if (word_id(m, s, n) >= 0) {
            PyErr_Format(PyExc_ValueError, "duplicate word %R", word);
            matcher_free(m);
            return NULL;
        }
        m->word_ptr[w] = PyMem_Malloc((size_t)n + 1);
        if (m->word_ptr[w] == NULL) {
            matcher_free(m);
            return PyErr_NoMemory();
        }
        memcpy(m->word_ptr[w], s, (size_t)n + 1);
        m->word_len[w] = n;
        uint64_t h = fnv1a(s, n), i = h & m->wmask;
        while (m->wtab[i].id >= 0)
            i = (i + 1) & m->wmask;
        m->wtab[i].hash = h;
        m->wtab[i].id = (int32_t)w;
    }
    if (edges_build(&m->trie, edges, nnodes, nwords) < 0) {
        matcher_free(m);
        return NULL;
    }
    if ((m->root = PyMem_Calloc((size_t)nwords + 1, sizeof(int32_t))) == NULL) {
        matcher_free(m);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t w = 0; w < nwords; w++)
        m->root[w] = edge(&m->trie, 0, (int32_t)w);
    Py_ssize_t npairs = 0;
    for (Py_ssize_t v = 0; v < nnodes; v++) {
        PyObject *p = PyList_GET_ITEM(payloads, v);
        if (!PyTuple_Check(p)) {
            PyErr_SetString(PyExc_ValueError, "payloads must be tuples");
            matcher_free(m);
            return NULL;
        }
        npairs += PyTuple_GET_SIZE(p);
    }
    m->pay = PyMem_Calloc((size_t)npairs * 2 + 2, sizeof(int32_t));
    if (m->pay == NULL) {
        matcher_free(m);
        return PyErr_NoMemory();
    }
    Py_ssize_t nment = PyTuple_GET_SIZE(mention_roles), at = 0;
    for (Py_ssize_t v = 0; v < nnodes; v++) {
        PyObject *p = PyList_GET_ITEM(payloads, v);
        m->pay_off[v] = (int32_t)at;
        m->pay_n[v] = (int32_t)PyTuple_GET_SIZE(p);
        for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(p); k++) {
            PyObject *pair = PyTuple_GET_ITEM(p, k);
            Py_ssize_t kind, idx;
            if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
                PyErr_SetString(PyExc_ValueError, "a payload is a (kind, index) pair");
                matcher_free(m);
                return NULL;
            }
            if (read_int(PyTuple_GET_ITEM(pair, 0), 0, 4, "payload kind", &kind) < 0 ||
                read_int(PyTuple_GET_ITEM(pair, 1), 0, kind == K_MENTION ? nment : INT32_MAX, "payload index",
                         &idx) < 0) {
                matcher_free(m);
                return NULL;
            }
            m->pay[2 * at] = (int32_t)kind;
            m->pay[2 * at + 1] = (int32_t)idx;
            at++;
        }
    }
    for (Py_ssize_t k = 0; k < nment; k++) {
        if (!PyAnySet_Check(PyTuple_GET_ITEM(mention_roles, k))) {
            PyErr_SetString(PyExc_ValueError, "mention_roles must hold sets");
            matcher_free(m);
            return NULL;
        }
    }
    Py_INCREF(mention_roles);
    m->mention_roles = mention_roles;
    m->intro = PyUnicode_InternFromString("intro");
    m->company = PyUnicode_InternFromString("company");
    if (m->intro == NULL || m->company == NULL || build_headings(m, headings) < 0 ||
        build_normalise(m, table, wide) < 0) {
        matcher_free(m);
        return NULL;
    }
    for (Py_ssize_t q = 0; q < npairs; q++) {
        if (m->pay[2 * q] == K_SIGNAL && m->pay[2 * q + 1] >= m->nsig) {
            PyErr_SetString(PyExc_ValueError, "payload signal index out of range");
            matcher_free(m);
            return NULL;
        }
    }
    PyObject *capsule = PyCapsule_New(m, CAPSULE, capsule_destructor);
    if (capsule == NULL)
        matcher_free(m);
    return capsule;
}

static inline int is_space(unsigned char ch)
{
    return SPACE[ch];
}

typedef struct {
    int32_t idx, a, b;
} Found;

/* A signal found in the text (scan_python's match tuple, kept in C until needed). */
typedef struct {
    int32_t idx;
    Py_ssize_t start, end; /* the phrase: first character of its first word to the end of its last */
    PyObject *where;       /* borrowed: a section name held by the matcher */
    PyObject *disc;        /* owned: roles discounted in its sentence, or NULL */
} Match;

typedef struct {
    Tok *toks;
    Py_ssize_t toks_cap;
    Found *found;
    Py_ssize_t found_cap;
    Match *matches;
    Py_ssize_t nmatches, matches_cap;
} Buffers;

static void buffers_free(Buffers *bf)
{
    for (Py_ssize_t i = 0; i < bf->nmatches; i++)
        Py_XDECREF(bf->matches[i].disc);
    PyMem_Free(bf->toks);
    PyMem_Free(bf->found);
    PyMem_Free(bf->matches);
}

static int grow(void **ptr, Py_ssize_t *cap, Py_ssize_t need, size_t item)
{
    if (need <= *cap)
        return 0;
    Py_ssize_t cap2 = *cap ? *cap : 64;
    while (cap2 < need)
        cap2 *= 2;
    void *p = PyMem_Realloc(*ptr, (size_t)cap2 * item);
    if (p == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    *ptr = p;
    *cap = cap2;
    return 0;
}

/* " ".join of the words in buf[start:end] (which starts and ends with a word) */
static PyObject *span_phrase(const char *buf, Py_ssize_t start, Py_ssize_t end)
{
    Py_ssize_t n = 0;
    for (Py_ssize_t i = start; i < end; i++)
        if (!is_space((unsigned char)buf[i]) || !is_space((unsigned char)buf[i - 1]))
            n++;
    PyObject *out = PyUnicode_New(n, 127);
    if (out == NULL)
        return NULL;
    char *d = (char *)PyUnicode_1BYTE_DATA(out);
    for (Py_ssize_t i = start; i < end; i++) {
        unsigned char ch = (unsigned char)buf[i];
        if (!is_space(ch))
            *d++ = (char)ch;
        else if (!is_space((unsigned char)buf[i - 1]))
            *d++ = ' ';
    }
    return out;
}

static int any_flag(const Tok *toks, Py_ssize_t lo, Py_ssize_t hi, unsigned char flag)
{
    for (Py_ssize_t k = lo; k < hi; k++)
        if (toks[k].fl & flag)
            return 1;
    return 0;
}

/* The section a short segment opens, or -1 when it is not a heading (core.classify._heading). */
static int32_t heading(const Matcher *m, const Tok *toks, Py_ssize_t e)
{
    int32_t w[HEADING_MAX]; /* the first words (no exact heading is longer: native_tables checks) */
    int32_t last2[2] = {-1, -1};
    Py_ssize_t nw = 0;
    for (Py_ssize_t k = 0; k < e; k++) {
        if (!(toks[k].fl & F_SKIP)) {
            if (nw < HEADING_MAX)
                w[nw] = toks[k].wid;
            last2[0] = last2[1];
            last2[1] = toks[k].wid;
            nw++;
        }
    }
    if (nw == 0)
        return -1;
    int32_t node = 0;
    for (Py_ssize_t k = 0; k < nw && k < HEADING_MAX && node >= 0; k++)
        node = edge(&m->hexact, node, w[k]);
    if (nw <= HEADING_MAX && node >= 0 && m->hexact_kind[node] >= 0)
        return m->hexact_kind[node];
    /* a heading's first words ("About Acme"), longest first; a short one only on a short segment */
    int32_t at[6] = {-1, -1, -1, -1, -1, -1};
    node = 0;
    for (Py_ssize_t n = 1; n <= 5 && n <= nw; n++) {
        node = edge(&m->hprefix, node, w[n - 1]);
        if (node < 0)
            break;
        at[n] = m->hprefix_kind[node];
    }
    for (Py_ssize_t n = 5; n >= 1; n--)
        if (at[n] >= 0 && (n >= 3 || nw <= n + 3))
            return at[n];
    if (nw <= 6) { /* "Solutions Architect Responsibilities": the last two words, then the last one */
        if (nw > 2) {
            node = edge(&m->hexact, edge(&m->hexact, 0, last2[0]), last2[1]);
            if (node >= 0 && m->hexact_kind[node] >= 0)
                return m->hexact_kind[node];
        }
        if (nw > 1) { /* (one word: the whole segment, already looked up) */
            node = edge(&m->hexact, 0, last2[1]);
            if (node >= 0 && m->hexact_kind[node] >= 0)
                return m->hexact_kind[node];
        }
    }
    return -1;
}

/* Segment by segment into bf->matches; returns 0 or -1 with an exception set. */
static int scan_text(const Matcher *m, const char *buf, Py_ssize_t len, Buffers *bf, int *seen_heading)
{
    PyObject *where = m->intro; /* borrowed */
    int where_intro = 1;
    double where_w = 0.0;
    int skip_section = 0;
    PyObject *discounted = NULL;
    Py_ssize_t pos = 0;
    int rc = -1;
    while (pos < len) {
        const char *seg = buf + pos;
        const char *stop = memchr(seg, '\x01', (size_t)(len - pos));
        Py_ssize_t seglen = stop ? stop - seg : len - pos;
        pos += seglen + 1;
        if (skip_section) { /* (benefits, EEO text) only a heading can end it: one of at most hmax words */
            Py_ssize_t words = 0;
            for (Py_ssize_t k = 0; k < seglen && words <= m->hmax; k++)
                words += !SPACE[(unsigned char)seg[k]] && (k == 0 || SPACE[(unsigned char)seg[k - 1]]);
            if (words > m->hmax)
                continue;
        }
        /* the words of the segment, as str.split() cuts them */
        Py_ssize_t e = 0;
        Py_ssize_t i = 0;
        while (i < seglen) {
            while (i < seglen && SPACE[(unsigned char)seg[i]])
                i++;
            if (i >= seglen)
                break;
            Py_ssize_t start = i;
            uint64_t h = FNV_OFFSET; /* the word's hash, as fnv1a() computes it */
            while (i < seglen && !SPACE[(unsigned char)seg[i]]) {
                h ^= (unsigned char)seg[i++];
                h *= FNV_PRIME;
            }
            if (e >= bf->toks_cap && grow((void **)&bf->toks, &bf->toks_cap, e + 1, sizeof(Tok)) < 0)
                goto done;
            Tok *t = &bf->toks[e++];
            t->s = seg + start;
            t->n = i - start;
            t->wid = word_lookup(m, t->s, t->n, h);
            t->fl = t->wid >= 0 ? m->flags[t->wid] : 0;
        }
        if (e == 0)
            continue;
        Tok *toks = bf->toks;
        if (e <= m->hmax && ((toks[0].fl & F_HFIRST) || (toks[e - 1].fl & F_HLAST))) {
            int32_t kind = heading(m, toks, e);
            if (kind >= 0) { /* the segment is still read: "Responsibilities: run demos" */
                where = PyTuple_GET_ITEM(m->kinds, kind);
                where_intro = m->kind_intro[kind];
                where_w = m->kind_w[kind];
                skip_section = where_w == 0.0;
                *seen_heading = 1;
            }
        }
        if (skip_section)
            continue;

        int negated = 0, cued = 0;
        for (Py_ssize_t k = 0; k < e; k++) {
            negated |= toks[k].fl & F_NEG;
            cued |= toks[k].fl & F_CUE;
        }
        Py_ssize_t nfound = 0, upto = 0;
        int boiler = 0, about = 0;
        Py_CLEAR(discounted);
        for (Py_ssize_t j = 0; j < e; j++) {
            if (j < upto)
                continue;
            if (toks[j].wid < 0)
                continue;
            int32_t node = m->root[toks[j].wid];
            if (node < 0)
                continue;
            /* the longest phrase starting at word j; skip words may sit inside it */
            Py_ssize_t best_end = -1, k = j + 1;
            int32_t best = -1;
            if (m->pay_n[node] > 0) {
                best_end = k;
                best = node;
            }
            while (k < e) {
                Py_ssize_t jj = k;
                while (jj < e && (toks[jj].fl & F_SKIP))
                    jj++;
                if (jj >= e)
                    break;
                int32_t nxt = edge(&m->trie, node, toks[jj].wid);
                if (nxt < 0)
                    break;
                node = nxt;
                k = jj + 1;
                if (m->pay_n[node] > 0) {
                    best_end = k;
                    best = node;
                }
            }
            if (best_end < 0)
                continue;
            upto = best_end;
            const int32_t *p = m->pay + 2 * m->pay_off[best];
            for (int32_t q = 0; q < m->pay_n[best]; q++, p += 2) {
                int32_t kind = p[0], idx = p[1];
                if (kind == K_SIGNAL) {
                    int keep = !negated || j == 0;
                    if (!keep) {
                        Py_ssize_t lo = j - m->neg_w > 0 ? j - m->neg_w : 0;
                        keep = !any_flag(toks, lo, j, F_NEG);
                        /* "not just demos": the negation widens rather than cancels the duty */
                        for (Py_ssize_t r = lo; !keep && r < j - 1; r++)
                            keep = (toks[r].fl & F_NEG) && (toks[r + 1].fl & F_NOTONLY);
                    }
                    if (keep) {
                        if (grow((void **)&bf->found, &bf->found_cap, nfound + 1, sizeof(Found)) < 0)
                            goto done;
                        bf->found[nfound++] = (Found){idx, (int32_t)j, (int32_t)best_end};
                    }
                }
                else if (kind == K_MENTION) {
                    Py_ssize_t lo = j - m->cue_w > 0 ? j - m->cue_w : 0;
                    if (cued && j > 0 && any_flag(toks, lo, j, F_CUE)) {
                        if (discounted == NULL && (discounted = PySet_New(NULL)) == NULL)
                            goto done;
                        PyObject *r = PyNumber_InPlaceOr(discounted, PyTuple_GET_ITEM(m->mention_roles, idx));
                        if (r == NULL)
                            goto done;
                        Py_DECREF(r);
                    }
                }
                else if (kind == K_BOILER) {
                    boiler = 1;
                }
                else {
                    about = 1;
                }
            }
            if (boiler)
                break;
        }
        if (boiler || nfound == 0)
            continue;
        PyObject *disc = NULL;
        if (discounted != NULL && PySet_GET_SIZE(discounted) > 0 && (disc = PyFrozenSet_New(discounted)) == NULL)
            goto done;
        int company = about && where_intro;
        if (grow((void **)&bf->matches, &bf->matches_cap, bf->nmatches + nfound, sizeof(Match)) < 0) {
            Py_XDECREF(disc);
            goto done;
        }
        for (Py_ssize_t f = 0; f < nfound; f++) {
            Found fd = bf->found[f];
            Match *mt = &bf->matches[bf->nmatches++];
            mt->idx = fd.idx;
            mt->start = toks[fd.a].s - buf;
            mt->end = toks[fd.b - 1].s + toks[fd.b - 1].n - buf;
            mt->where = company ? m->company : where;
            Py_XINCREF(disc);
            mt->disc = disc;
        }
        Py_XDECREF(disc);
    }
    rc = 0;
done:
    Py_XDECREF(discounted);
    return rc;
}

/* core.classify.normalise() after its HTML step, into a new buffer (free it with PyMem_Free): each ASCII
 * byte through the table (lower case, punctuation a space, sentence ends and line breaks \x01), a wide
 * delimiter (a bullet) \x01, every other byte of a non-ASCII character a space. Same bytes as normalise(). */
static char *normalised(const Matcher *m, PyObject *text, Py_ssize_t *len)
{
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "the text must be a str");
        return NULL;
    }
    Py_ssize_t n;
    PyObject *bytes = NULL;
    const unsigned char *in = (const unsigned char *)PyUnicode_AsUTF8AndSize(text, &n);
    if (in == NULL) { /* a lone surrogate: normalise() encodes with surrogatepass */
        PyErr_Clear();
        bytes = PyUnicode_AsEncodedString(text, "utf-8", "surrogatepass");
        if (bytes == NULL)
            return NULL;
        in = (const unsigned char *)PyBytes_AS_STRING(bytes);
        n = PyBytes_GET_SIZE(bytes);
    }
    char *out = PyMem_Malloc((size_t)n + 1);
    if (out == NULL) {
        Py_XDECREF(bytes);
        PyErr_NoMemory();
        return NULL;
    }
    Py_ssize_t o = 0;
    const char *table = m->table;
    for (Py_ssize_t i = 0; i < n;) {
        uint64_t x;
        if (i + 8 <= n && (memcpy(&x, in + i, 8), (x & 0x8080808080808080ULL) == 0)) { /* 8 ASCII bytes */
            char *d = out + o;
            const unsigned char *c = in + i;
            d[0] = table[c[0]], d[1] = table[c[1]], d[2] = table[c[2]], d[3] = table[c[3]];
            d[4] = table[c[4]], d[5] = table[c[5]], d[6] = table[c[6]], d[7] = table[c[7]];
            i += 8;
            o += 8;
            continue;
        }
        unsigned char b = in[i];
        if (b < 0x80) {
            out[o++] = m->table[b];
            i++;
            continue;
        }
        int k = 0;
        while (k < m->nwide && !(m->wide_len[k] <= n - i && memcmp(in + i, m->wide[k], (size_t)m->wide_len[k]) == 0))
            k++;
        out[o++] = k < m->nwide ? '\x01' : ' ';
        i += k < m->nwide ? m->wide_len[k] : 1;
    }
    Py_XDECREF(bytes);
    *len = o;
    return out;
}

/* The matcher and the text of a call, normalised and scanned into bf: the normalised text (free it with
 * PyMem_Free, and bf with buffers_free), or NULL with an exception set and nothing to free. */
static char *scanned(PyObject *capsule, PyObject *text, const Matcher **mp, Buffers *bf, int *seen)
{
    const Matcher *m = PyCapsule_GetPointer(capsule, CAPSULE);
    Py_ssize_t len;
    char *buf = m == NULL ? NULL : normalised(m, text, &len);
    if (buf != NULL && scan_text(m, buf, len, bf, seen) < 0) {
        buffers_free(bf);
        PyMem_Free(buf);
        buf = NULL;
    }
    *mp = m;
    return buf;
}

/* scan(matcher, text) -> (matches, seen_heading): scan_python(normalise(text)) for a text without HTML */
static PyObject *scan_scan(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "scan(matcher, text)");
        return NULL;
    }
    const Matcher *m;
    Buffers bf = {0};
    int seen = 0;
    char *buf = scanned(args[0], args[1], &m, &bf, &seen);
    if (buf == NULL)
        return NULL;
    PyObject *out = NULL, *list = PyList_New(bf.nmatches);
    if (list == NULL)
        goto done;
    for (Py_ssize_t i = 0; i < bf.nmatches; i++) {
        Match *mt = &bf.matches[i];
        PyObject *ph = span_phrase(buf, mt->start, mt->end);
        PyObject *tup = ph == NULL ? NULL : Py_BuildValue("(iNOO)", mt->idx, ph, mt->where, mt->disc ? mt->disc : Py_None);
        if (tup == NULL)
            goto done;
        PyList_SET_ITEM(list, i, tup);
    }
    out = Py_BuildValue("(OO)", list, seen ? Py_True : Py_False);
done:
    Py_XDECREF(list);
    buffers_free(&bf);
    PyMem_Free(buf);
    return out;
}

static PyMethodDef methods[] = {
    {"build", scan_build, METH_VARARGS, "Flattened trie and heading tables -> a matcher (a capsule)."},
    {"scan", (PyCFunction)(void (*)(void))scan_scan, METH_FASTCALL,
     "scan(matcher, text) -> (matches, seen_heading), as core.classify.scan_python(normalise(text))."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_scan", "The classifier's scan kernel in C (see core/classify.py).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__scan(void)
{
    PyObject *mod = PyModule_Create(&module);
    if (mod != NULL && PyModule_AddIntConstant(mod, "ABI", SCAN_ABI) < 0) {
        Py_DECREF(mod);
        return NULL;
    }
    return mod;
}
