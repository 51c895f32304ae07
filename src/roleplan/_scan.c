/* roleplan._scan: the classifier in C (optional; the pure-Python reference is core/classify.py).
 *
 * `classify_python` in core/classify.py is the specification: classify() here must give exactly what it
 * gives for every text, title and configuration (tests/core/test_classify_native.py compares the two on the
 * fixtures, on Hypothesis postings and under a retuned configuration). The steps follow the Python ones:
 *
 *   normalised()  normalise() after its HTML step (which stays in Python): lower case, punctuation a space,
 *                 segment breaks \x01
 *   scan_text()   scan_python(): segments, headings, the longest phrase at each word, negations, colleagues'
 *                 duties, boilerplate, company text
 *   decide()      _decide(): occurrences per signal, scores per role and family, the title's prior, hybrid,
 *                 the winner, calibrated confidence and the evidence shown, rounded as Python rounds
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
 *   decide    the signals' weights per role, roles and families, ranks for sorting the evidence, thresholds
 *   table, wide  what each ASCII byte becomes, and the non-ASCII delimiters (bullets) in UTF-8
 *
 * SCAN_ABI changes with this interface; core/classify.py ignores a build with another (a stale build). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <math.h>
#include <string.h>

#define SCAN_ABI 1
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
    /* the decision (core.classify._decide) */
    Py_ssize_t nsig, nroles;
    int32_t *sw_off, *sw_n, *sw_role, *sw_target; /* per signal: its (role, weight, target) triples */
    double *sw_w;
    unsigned char *sig_flags; /* 1 hybrid cue, 2 the seat serves the SEs / SAs */
    int32_t *sid_rank;        /* rank of the signal's id among all ids and "title" (sorting evidence) */
    PyObject *sids;           /* tuple of the signal ids */
    int32_t title_rank;
    int title_first; /* a hybrid-cue signal is called "title" (so the title's evidence sorts first too) */
    PyObject *roles;          /* tuple of role names */
    PyObject *role_ids;       /* dict role name -> index */
    unsigned char *role_fam;  /* 0 se, 1 sa, 2 other, 3 hybrid, 4 anything else */
    unsigned char *role_other; /* a role of the other family that can win */
    signed char *role_named;  /* the role's name is "se"/"sa"/"other"/"hybrid" (0..3), else -1 */
    PyObject *targets;        /* tuple: "se", "sa", then the role names (target 2 + r is role r) */
    int32_t *target_rank;
    PyObject *fam_names;      /* ("se", "sa", "other", "hybrid") */
    PyObject *title_where;    /* "title" */
    int32_t fallback[2], hybrid_role, unknown_role;
    double intro_w, body_w, company_w, md, decay, field_disc, title_w, hyb_min, hyb_ratio, cue_min, cue_ratio,
        min_score, prior, floor, scale;
    Py_ssize_t max_rep;
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
    PyMem_Free(m->sw_off);
    PyMem_Free(m->sw_n);
    PyMem_Free(m->sw_role);
    PyMem_Free(m->sw_target);
    PyMem_Free(m->sw_w);
    PyMem_Free(m->sig_flags);
    PyMem_Free(m->sid_rank);
    PyMem_Free(m->role_fam);
    PyMem_Free(m->role_other);
    PyMem_Free(m->role_named);
    PyMem_Free(m->target_rank);
    Py_XDECREF(m->sids);
    Py_XDECREF(m->roles);
    Py_XDECREF(m->role_ids);
    Py_XDECREF(m->targets);
    Py_XDECREF(m->fam_names);
    Py_XDECREF(m->title_where);
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

/* The decision tables: see native_tables() in core/classify.py for the order. */
static int build_decide(Matcher *m, PyObject *spec)
{
    PyObject *weights, *sig_flags, *sids, *sid_rank, *roles, *role_fam, *role_other, *role_named, *target_rank,
        *params;
    Py_ssize_t title_rank, fb_se, fb_sa, hybrid_role, unknown_role, max_rep;
    int title_first;
    if (!PyArg_ParseTuple(spec, "O!SO!O!npO!SSSO!nnnnO!n", &PyList_Type, &weights, &sig_flags, &PyTuple_Type,
                          &sids, &PyList_Type, &sid_rank, &title_rank, &title_first, &PyTuple_Type, &roles,
                          &role_fam, &role_other, &role_named, &PyList_Type, &target_rank, &fb_se, &fb_sa,
                          &hybrid_role, &unknown_role, &PyTuple_Type, &params, &max_rep))
        return -1;
    Py_ssize_t nsig = PyList_GET_SIZE(weights), nroles = PyTuple_GET_SIZE(roles);
    m->nsig = nsig;
    m->nroles = nroles;
    if (PyTuple_GET_SIZE(sids) != nsig || nroles < 1 || max_rep < 1) {
        PyErr_SetString(PyExc_ValueError, "decision tables: bad sizes");
        return -1;
    }
    if (!PyArg_ParseTuple(params, "ddddddddddddddd", &m->intro_w, &m->body_w, &m->company_w, &m->md, &m->decay,
                          &m->field_disc, &m->title_w, &m->hyb_min, &m->hyb_ratio, &m->cue_min, &m->cue_ratio,
                          &m->min_score, &m->prior, &m->floor, &m->scale))
        return -1;
    m->max_rep = max_rep;
    m->title_rank = (int32_t)title_rank;
    m->title_first = title_first;
    if (fb_se < -1 || fb_se >= nroles || fb_sa < -1 || fb_sa >= nroles || hybrid_role < 0 ||
        hybrid_role >= nroles || unknown_role < 0 || unknown_role >= nroles) {
        PyErr_SetString(PyExc_ValueError, "decision tables: role index out of range");
        return -1;
    }
    m->fallback[0] = (int32_t)fb_se;
    m->fallback[1] = (int32_t)fb_sa;
    m->hybrid_role = (int32_t)hybrid_role;
    m->unknown_role = (int32_t)unknown_role;
    Py_ssize_t ntrip = 0;
    for (Py_ssize_t i = 0; i < nsig; i++) {
        PyObject *t = PyList_GET_ITEM(weights, i);
        if (!PyTuple_Check(t)) {
            PyErr_SetString(PyExc_ValueError, "signal weights: tuples of (role, weight, target)");
            return -1;
        }
        ntrip += PyTuple_GET_SIZE(t);
    }
    m->sw_off = PyMem_Calloc((size_t)nsig + 1, sizeof(int32_t));
    m->sw_n = PyMem_Calloc((size_t)nsig + 1, sizeof(int32_t));
    m->sw_role = PyMem_Calloc((size_t)ntrip + 1, sizeof(int32_t));
    m->sw_target = PyMem_Calloc((size_t)ntrip + 1, sizeof(int32_t));
    m->sw_w = PyMem_Calloc((size_t)ntrip + 1, sizeof(double));
    if (!m->sw_off || !m->sw_n || !m->sw_role || !m->sw_target || !m->sw_w) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t at = 0;
    for (Py_ssize_t i = 0; i < nsig; i++) {
        PyObject *t = PyList_GET_ITEM(weights, i);
        m->sw_off[i] = (int32_t)at;
        m->sw_n[i] = (int32_t)PyTuple_GET_SIZE(t);
        for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(t); k++, at++) {
            PyObject *trip = PyTuple_GET_ITEM(t, k);
            Py_ssize_t role, target;
            if (!PyTuple_Check(trip) || PyTuple_GET_SIZE(trip) != 3) {
                PyErr_SetString(PyExc_ValueError, "signal weights: tuples of (role, weight, target)");
                return -1;
            }
            if (read_int(PyTuple_GET_ITEM(trip, 0), 0, nroles, "role", &role) < 0 ||
                read_int(PyTuple_GET_ITEM(trip, 2), 0, nroles + 2, "target", &target) < 0)
                return -1;
            double w = PyFloat_AsDouble(PyTuple_GET_ITEM(trip, 1));
            if (w == -1.0 && PyErr_Occurred())
                return -1;
            m->sw_role[at] = (int32_t)role;
            m->sw_target[at] = (int32_t)target;
            m->sw_w[at] = w;
        }
    }
    if ((m->sig_flags = byte_copy(sig_flags, nsig, "signal flags")) == NULL ||
        (m->role_fam = byte_copy(role_fam, nroles, "role families")) == NULL ||
        (m->role_other = byte_copy(role_other, nroles, "other roles")) == NULL ||
        (m->role_named = (signed char *)byte_copy(role_named, nroles, "role names")) == NULL ||
        (m->sid_rank = int_list(sid_rank, nsig, 0, INT32_MAX, "signal rank")) == NULL ||
        (m->target_rank = int_list(target_rank, nroles + 2, 0, INT32_MAX, "target rank")) == NULL)
        return -1;
    for (Py_ssize_t r = 0; r < nroles; r++)
        m->role_named[r] = (signed char)(m->role_named[r] - 1); /* sent as 0 (none) .. 4 */
    m->role_ids = PyDict_New();
    m->targets = PyTuple_New(nroles + 2);
    m->fam_names = Py_BuildValue("(ssss)", "se", "sa", "other", "hybrid");
    m->title_where = PyUnicode_InternFromString("title");
    if (!m->role_ids || !m->targets || !m->fam_names || !m->title_where)
        return -1;
    for (int k = 0; k < 2; k++) {
        PyObject *f = PyTuple_GET_ITEM(m->fam_names, k);
        Py_INCREF(f);
        PyTuple_SET_ITEM(m->targets, k, f);
    }
    for (Py_ssize_t r = 0; r < nroles; r++) {
        PyObject *name = PyTuple_GET_ITEM(roles, r);
        PyObject *idx = PyLong_FromSsize_t(r);
        if (!PyUnicode_Check(name) || idx == NULL || PyDict_SetItem(m->role_ids, name, idx) < 0) {
            Py_XDECREF(idx);
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "role names must be strings");
            return -1;
        }
        Py_DECREF(idx);
        Py_INCREF(name);
        PyTuple_SET_ITEM(m->targets, r + 2, name);
    }
    Py_INCREF(sids);
    m->sids = sids;
    Py_INCREF(roles);
    m->roles = roles;
    return 0;
}

/* An edge table from a list of (parent, word id, child) with nodes below nnodes (0 is the root). */
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

/* build(words, flags, edges, payloads, mention_roles, headings, hmax, neg_w, cue_w, decide, table, wide) */
static PyObject *scan_build(PyObject *self, PyObject *args)
{
    PyObject *words, *flags, *edges, *payloads, *mention_roles, *headings, *decide, *table, *wide;
    Py_ssize_t hmax, neg_w, cue_w;
    if (!PyArg_ParseTuple(args, "O!SO!O!O!O!nnnO!SO!", &PyList_Type, &words, &flags, &PyList_Type, &edges,
                          &PyList_Type, &payloads, &PyTuple_Type, &mention_roles, &PyTuple_Type, &headings, &hmax,
                          &neg_w, &cue_w, &PyTuple_Type, &decide, &table, &PyTuple_Type, &wide))
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
    if (m->intro == NULL || m->company == NULL || build_headings(m, headings) < 0 || build_decide(m, decide) < 0 ||
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
    int intro;             /* where is "intro": its weight depends on whether the text has a heading */
    double w;              /* otherwise the section's weight */
    PyObject *disc;        /* owned: roles discounted in its sentence, or NULL */
} Match;

typedef struct {
    double key, base;
    double cut; /* what a colleague's sentence takes off the roles it names (0 in the seat's own sentences) */
    int32_t match;
} Occ;

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
            mt->intro = company ? 0 : where_intro;
            mt->w = company ? m->company_w : where_w;
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

/* --- the decision: core.classify._decide up to the rounding (kept in the same order of operations) --- */

typedef struct {
    int32_t target;
    double eff;
} Best;

typedef struct {
    int notfirst;
    double weight;
    int32_t sid_rank, target_rank;
    int32_t target;
    int32_t group; /* -1: the title */
    int32_t sig;
} Ev;

typedef struct {
    Occ *occ;          /* all occurrences, grouped per signal */
    int32_t *slot;     /* per signal: its group or -1 */
    int32_t *order;    /* groups' signals in order of first appearance */
    int32_t *g_off, *g_n;
    double *rs;        /* role scores */
    int32_t *rs_order; /* roles in order of first score */
    unsigned char *rs_seen;
    Best *best;
    Ev *ev;
} Work;

static void work_free(Work *w)
{
    PyMem_Free(w->occ);
    PyMem_Free(w->slot);
    PyMem_Free(w->order);
    PyMem_Free(w->g_off);
    PyMem_Free(w->g_n);
    PyMem_Free(w->rs);
    PyMem_Free(w->rs_order);
    PyMem_Free(w->rs_seen);
    PyMem_Free(w->best);
    PyMem_Free(w->ev);
}

static inline void add_score(Work *w, Py_ssize_t *n_rs, int32_t role, double v)
{
    if (!w->rs_seen[role]) {
        w->rs_seen[role] = 1;
        w->rs[role] = 0.0;
        w->rs_order[(*n_rs)++] = role;
    }
    w->rs[role] = w->rs[role] + v;
}

/* _best_other: the first role of the other family with the highest score above 0 */
static int32_t best_other(const Matcher *m, const Work *w, Py_ssize_t n_rs, double *score)
{
    int32_t best = -1;
    *score = 0.0;
    for (Py_ssize_t i = 0; i < n_rs; i++) {
        int32_t r = w->rs_order[i];
        if (w->rs[r] > *score && m->role_other[r]) {
            best = r;
            *score = w->rs[r];
        }
    }
    return best;
}

static int ev_before(const Ev *a, const Ev *b, int with_first)
{
    if (with_first && a->notfirst != b->notfirst)
        return a->notfirst < b->notfirst;
    if (-a->weight != -b->weight)
        return -a->weight < -b->weight;
    if (a->sid_rank != b->sid_rank)
        return a->sid_rank < b->sid_rank;
    return a->target_rank < b->target_rank;
}

static void ev_sort(Ev *ev, Py_ssize_t n, int with_first)
{
    for (Py_ssize_t i = 1; i < n; i++) {
        Ev x = ev[i];
        Py_ssize_t j = i;
        while (j > 0 && ev_before(&x, &ev[j - 1], with_first)) {
            ev[j] = ev[j - 1];
            j--;
        }
        ev[j] = x;
    }
}

/* _phrases: up to three distinct phrases of a signal's occurrences, strongest first, joined by "; " */
static PyObject *group_phrases(const Buffers *bf, const char *buf, const Occ *occ, int32_t n)
{
    PyObject *seen[3];
    int ns = 0;
    for (int32_t i = 0; i < n && ns < 3; i++) {
        const Match *mt = &bf->matches[occ[i].match];
        PyObject *ph = span_phrase(buf, mt->start, mt->end);
        if (ph == NULL)
            goto fail;
        int dup = 0;
        for (int k = 0; k < ns && !dup; k++)
            dup = PyUnicode_Compare(seen[k], ph) == 0;
        if (dup)
            Py_DECREF(ph);
        else
            seen[ns++] = ph;
    }
    if (ns == 1)
        return seen[0];
    PyObject *sep = PyUnicode_FromString("; ");
    PyObject *lst = PyList_New(0);
    PyObject *out = NULL;
    if (sep != NULL && lst != NULL) {
        int ok = 1;
        for (int k = 0; k < ns && ok; k++)
            ok = PyList_Append(lst, seen[k]) == 0;
        if (ok)
            out = PyUnicode_Join(sep, lst);
    }
    Py_XDECREF(sep);
    Py_XDECREF(lst);
    for (int k = 0; k < ns; k++)
        Py_DECREF(seen[k]);
    return out;
fail:
    for (int k = 0; k < ns; k++)
        Py_DECREF(seen[k]);
    return NULL;
}

#define EVIDENCE_MAX 10

/* round(x, 3), exactly as Python rounds (to the nearest 3-decimal value of x's exact binary value, ties to
 * even, read back correctly rounded). Fast path: when x * 1000 is not within 1e-6 of a tie, its rounding is
 * that of the exact value (the product's error is below 1e-7 for x < 1e9), and r / 1000.0 is the correctly
 * rounded double of the decimal r/1000, as Python's strtod reads it. Otherwise Python's own round(). */
static PyObject *round3(double x)
{
    if (x > 0.0 && x < 1e9) {
        double y = x * 1000.0, f = floor(y), frac = y - f;
        if (fabs(frac - 0.5) > 1e-6)
            return PyFloat_FromDouble((frac > 0.5 ? f + 1.0 : f) / 1000.0);
    }
    PyObject *fx = PyFloat_FromDouble(x);
    if (fx == NULL)
        return NULL;
    PyObject *out = PyObject_CallMethod(fx, "__round__", "i", 3);
    Py_DECREF(fx);
    return out;
}

static PyObject *decide(const Matcher *m, const char *buf, Buffers *bf, int seen_heading, PyObject *title,
                        PyObject *prior_roles)
{
    Py_ssize_t nm = bf->nmatches, nsig = m->nsig, nroles = m->nroles;
    Work w = {0};
    PyObject *out = NULL, *evlist = NULL;
    w.occ = PyMem_Calloc((size_t)nm + 1, sizeof(Occ));
    w.slot = PyMem_Malloc(((size_t)nsig + 1) * sizeof(int32_t));
    w.order = PyMem_Calloc((size_t)nm + 1, sizeof(int32_t));
    w.g_off = PyMem_Calloc((size_t)nm + 1, sizeof(int32_t));
    w.g_n = PyMem_Calloc((size_t)nm + 1, sizeof(int32_t));
    w.rs = PyMem_Calloc((size_t)nroles + 1, sizeof(double));
    w.rs_order = PyMem_Calloc((size_t)nroles + 1, sizeof(int32_t));
    w.rs_seen = PyMem_Calloc((size_t)nroles + 1, 1);
    w.best = PyMem_Calloc((size_t)nroles + 3, sizeof(Best));
    /* evidence: at most one per (signal, target) with a match, and one per title target */
    Py_ssize_t ev_cap = 1 + 2 * (nroles + 2);
    for (Py_ssize_t i = 0; i < nm; i++)
        ev_cap += m->sw_n[bf->matches[i].idx];
    w.ev = PyMem_Calloc((size_t)ev_cap, sizeof(Ev));
    if (!w.occ || !w.slot || !w.order || !w.g_off || !w.g_n || !w.rs || !w.rs_order || !w.rs_seen || !w.best ||
        !w.ev) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < nsig; i++)
        w.slot[i] = -1;

    /* occurrences per signal, in order of first appearance */
    double intro_w = seen_heading ? m->intro_w : m->body_w, md = m->md;
    int32_t ngroups = 0;
    for (Py_ssize_t i = 0; i < nm; i++) {
        const Match *mt = &bf->matches[i];
        double base = mt->intro ? intro_w : mt->w;
        if (base > 0.0 && w.slot[mt->idx] < 0) {
            w.slot[mt->idx] = ngroups;
            w.order[ngroups++] = mt->idx;
        }
        if (base > 0.0)
            w.g_n[w.slot[mt->idx]]++;
    }
    for (int32_t g = 0, at = 0; g < ngroups; g++) {
        w.g_off[g] = at;
        at += w.g_n[g];
        w.g_n[g] = 0;
    }
    for (Py_ssize_t i = 0; i < nm; i++) {
        const Match *mt = &bf->matches[i];
        double base = mt->intro ? intro_w : mt->w;
        if (base > 0.0) {
            int32_t g = w.slot[mt->idx];
            Occ *o = &w.occ[w.g_off[g] + w.g_n[g]++];
            o->key = mt->disc != NULL ? -base * md : -base;
            o->base = base;
            o->match = (int32_t)i;
        }
    }
    int cued = 0, serves = 0;
    for (int32_t g = 0; g < ngroups; g++) {
        cued |= m->sig_flags[w.order[g]] & 1;
        serves |= m->sig_flags[w.order[g]] & 2;
    }
    double field_w = serves ? m->field_disc : 1.0;
    double fam[2] = {0.0, 0.0};
    Py_ssize_t n_rs = 0, nev = 0;
    for (int32_t g = 0; g < ngroups; g++) {
        int32_t sig = w.order[g];
        Occ *occ = w.occ + w.g_off[g];
        int32_t n = w.g_n[g];
        for (int32_t i = 1; i < n; i++) { /* stable: equal keys keep the order of the text */
            Occ x = occ[i];
            int32_t j = i;
            while (j > 0 && x.key < occ[j - 1].key) {
                occ[j] = occ[j - 1];
                j--;
            }
            occ[j] = x;
        }
        if (n > m->max_rep)
            n = w.g_n[g] = (int32_t)m->max_rep;
        double mult = 1.0, total = 0.0;
        int ncut = 0;
        for (int32_t i = 0; i < n; i++) {
            double mm = occ[i].base * mult;
            mult *= m->decay;
            total += mm;
            int disc = bf->matches[occ[i].match].disc != NULL;
            occ[i].cut = disc ? mm * (1.0 - md) : 0.0;
            ncut += disc;
        }
        Py_ssize_t nbest = 0;
        for (int32_t t = 0; t < m->sw_n[sig]; t++) {
            int32_t k = m->sw_off[sig] + t, role = m->sw_role[k], target = m->sw_target[k];
            double mm = total;
            for (int32_t i = 0; ncut && i < n; i++) { /* a colleague's sentence counts less for its roles */
                PyObject *disc = bf->matches[occ[i].match].disc;
                if (disc != NULL) {
                    int has = PySet_Contains(disc, PyTuple_GET_ITEM(m->roles, role));
                    if (has < 0)
                        goto done;
                    if (has)
                        mm -= occ[i].cut;
                }
            }
            double eff = target < 2 ? m->sw_w[k] * mm * field_w : m->sw_w[k] * mm;
            add_score(&w, &n_rs, role, eff);
            Py_ssize_t b = 0;
            while (b < nbest && w.best[b].target != target)
                b++;
            if (eff > (b < nbest ? w.best[b].eff : 0.0)) {
                if (b == nbest)
                    nbest++;
                w.best[b] = (Best){target, eff};
            }
        }
        for (Py_ssize_t b = 0; b < nbest; b++) {
            int32_t target = w.best[b].target;
            if (target < 2)
                fam[target] += w.best[b].eff;
            w.ev[nev++] = (Ev){!(cued && (m->sig_flags[sig] & 1)), w.best[b].eff, m->sid_rank[sig],
                               m->target_rank[target], target, g, sig};
        }
    }
    double duty_se = fam[0], duty_sa = fam[1], duty_other;
    best_other(m, &w, n_rs, &duty_other);

    /* the title: a small prior (its roles were read by the caller, through the company title maps) */
    if (title != Py_None) {
        Py_ssize_t k = PyTuple_GET_SIZE(prior_roles);
        for (Py_ssize_t i = 0; i < k; i++) {
            PyObject *rid = PyDict_GetItemWithError(m->role_ids, PyTuple_GET_ITEM(prior_roles, i));
            if (rid == NULL) {
                if (!PyErr_Occurred())
                    PyErr_SetObject(PyExc_KeyError, PyTuple_GET_ITEM(prior_roles, i));
                goto done;
            }
            int32_t role = (int32_t)PyLong_AsLong(rid);
            double tw = m->title_w / (double)k;
            add_score(&w, &n_rs, role, tw);
            int f = m->role_fam[role];
            if (f < 2)
                fam[f] += tw;
            int32_t target = f < 2 ? f : 2 + role;
            Py_ssize_t e = 0;
            while (e < nev && !(w.ev[e].group < 0 && w.ev[e].target == target))
                e++;
            if (e == nev)
                nev++;
            w.ev[e] = (Ev){1, tw, m->title_rank, m->target_rank[target], target, -1, -1};
        }
    }
    double other;
    int32_t bother = best_other(m, &w, n_rs, &other);
    double se = fam[0], sa = fam[1], prior = m->prior;

    int family;
    int32_t role;
    double confidence;
    double lo = duty_sa < duty_se ? duty_sa : duty_se, hi = duty_sa > duty_se ? duty_sa : duty_se;
    int by_cue = 0;
    int hybrid = 0;
    if (lo > other) {
        if (lo >= m->hyb_min && lo >= m->hyb_ratio * hi)
            hybrid = 1;
        else if (cued && lo >= m->cue_min && lo >= m->cue_ratio * hi)
            hybrid = by_cue = 1;
    }
    if (hybrid) {
        family = 3;
        role = m->hybrid_role;
        confidence = (lo - duty_other) / (lo + prior);
    }
    else {
        int top = 0;
        double s1 = se;
        if (sa > s1) {
            top = 1;
            s1 = sa;
        }
        if (other > s1) {
            top = 2;
            s1 = other;
        }
        if (s1 < m->min_score) {
            family = 2;
            role = m->unknown_role;
            confidence = 0.0;
        }
        else {
            family = top;
            double duty[3] = {duty_se, duty_sa, duty_other};
            double d1 = duty[top], d2 = 0.0;
            int first = 1;
            for (int k = 0; k < 3; k++) {
                if (k == top)
                    continue;
                if (first || duty[k] > d2)
                    d2 = duty[k];
                first = 0;
            }
            confidence = (d1 - d2) / (d1 + prior);
            if (family == 2) {
                role = bother >= 0 ? bother : m->unknown_role;
            }
            else {
                role = -1;
                for (Py_ssize_t i = 0; i < n_rs; i++) {
                    int32_t r = w.rs_order[i];
                    if (m->role_fam[r] == family && r != m->hybrid_role && (role < 0 || w.rs[r] > w.rs[role]))
                        role = r;
                }
                if (role < 0)
                    role = m->fallback[family];
                if (role < 0) {
                    PyErr_SetString(PyExc_RuntimeError, "no role of the winning family");
                    goto done;
                }
            }
        }
    }
    if (role != m->unknown_role) { /* margin -> calibrated confidence */
        double margin = confidence > 0.0 ? confidence : 0.0;
        confidence = m->floor + (1 - m->floor) * (1 - exp(-margin / m->scale));
    }
    confidence = confidence < 1.0 ? confidence : 1.0;
    confidence = confidence > 0.0 ? confidence : 0.0;

    /* the evidence shown: relevant to the decision, strongest first, the decisive hybrid cue among them */
    Py_ssize_t nshow = 0;
    for (Py_ssize_t e = 0; e < nev; e++) {
        Ev x = w.ev[e];
        int32_t t = x.target;
        int relevant = t < 2 || t - 2 == role || t - 2 == bother || m->role_named[t - 2] == family;
        if (x.weight > 0.0 && relevant) {
            if (x.group >= 0)
                x.notfirst = !(by_cue && (m->sig_flags[x.sig] & 1));
            else
                x.notfirst = !(by_cue && m->title_first);
            w.ev[nshow++] = x;
        }
    }
    ev_sort(w.ev, nshow, 1);
    if (nshow > EVIDENCE_MAX)
        nshow = EVIDENCE_MAX;
    ev_sort(w.ev, nshow, 0);
    evlist = PyList_New(nshow);
    if (evlist == NULL)
        goto done;
    for (Py_ssize_t e = 0; e < nshow; e++) {
        Ev x = w.ev[e];
        PyObject *phrase, *sid, *where;
        if (x.group >= 0) {
            const Occ *occ = w.occ + w.g_off[x.group];
            phrase = group_phrases(bf, buf, occ, w.g_n[x.group]);
            sid = PyTuple_GET_ITEM(m->sids, x.sig);
            where = bf->matches[occ[0].match].where;
        }
        else {
            phrase = title;
            Py_INCREF(phrase);
            sid = m->title_where;
            where = m->title_where;
        }
        PyObject *tup = phrase == NULL ? NULL
                                       : Py_BuildValue("(NOONO)", phrase, sid, PyTuple_GET_ITEM(m->targets, x.target),
                                                       round3(x.weight), where);
        if (tup == NULL)
            goto done;
        PyList_SET_ITEM(evlist, e, tup);
    }
    out = Py_BuildValue("(OONNNNO)", PyTuple_GET_ITEM(m->fam_names, family), PyTuple_GET_ITEM(m->roles, role),
                        round3(confidence), round3(se), round3(sa), round3(other), evlist);
done:
    Py_XDECREF(evlist);
    work_free(&w);
    return out;
}

/* classify(matcher, text, stripped_title_or_None, prior_roles): text without HTML (see core.classify)
 *   -> (family, role, confidence, se, sa, other, [(phrase, signal, target, weight, where), ...])
 * the numbers rounded to 3 decimals, as _decide rounds them. */
static PyObject *scan_classify(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 4 || !PyTuple_Check(args[3]) || (args[2] != Py_None && !PyUnicode_Check(args[2]))) {
        PyErr_SetString(PyExc_TypeError, "classify(matcher, text, title or None, prior roles tuple)");
        return NULL;
    }
    const Matcher *m;
    Buffers bf = {0};
    int seen = 0;
    char *buf = scanned(args[0], args[1], &m, &bf, &seen);
    if (buf == NULL)
        return NULL;
    PyObject *out = decide(m, buf, &bf, seen, args[2], args[3]);
    buffers_free(&bf);
    PyMem_Free(buf);
    return out;
}

static PyObject *scan_round3(PyObject *self, PyObject *arg)
{
    double x = PyFloat_AsDouble(arg);
    if (x == -1.0 && PyErr_Occurred())
        return NULL;
    return round3(x);
}

static PyMethodDef methods[] = {
    {"round3", scan_round3, METH_O, "round(x, 3), as the decision rounds (exposed for the tests)."},
    {"build", scan_build, METH_VARARGS, "Flattened trie and decision tables -> a matcher (a capsule)."},
    {"scan", (PyCFunction)(void (*)(void))scan_scan, METH_FASTCALL,
     "scan(matcher, text) -> (matches, seen_heading), as core.classify.scan_python(normalise(text))."},
    {"classify", (PyCFunction)(void (*)(void))scan_classify, METH_FASTCALL,
     "classify(matcher, text, title, prior_roles) -> the decision, as core.classify._decide."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_scan", "The classifier's scan and decision in C (see core/classify.py).", -1, methods,
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
