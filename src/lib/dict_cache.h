/* Compiled dictionary cache: a binary image of a finished dictionary (words, entries, sets,
 * forms, indexes), stored as DIR/dict-<key>.bin. The key hashes tumen's version, the image
 * layout, and every source file's path, size, mtime and contents, so an edited source
 * rebuilds it. An image is validated before use (magic, format, key, length, checksum,
 * every offset and id bounds-checked); a bad one is ignored and rebuilt. */
#ifndef TUMEN_DICT_CACHE_H
#define TUMEN_DICT_CACHE_H

#include "dict.h"

/* Bump when struct tumen_dict or the entry structs change meaning (sizes are checked). */
#define DICT_CACHE_FORMAT 3

/* Makes a finished dictionary from the dictionary files or directories paths[0..n) (loaded
 * in that order, as tumen_dict_load does). cache_dir: NULL for the default
 * ($XDG_CACHE_HOME/tumen, else $HOME/.cache/tumen), "" to bypass the cache. When a valid
 * image exists it is loaded; otherwise the sources are loaded and finished and the image is
 * written (failure to write is not an error). *from_cache (may be NULL) tells which. The
 * caller owns *out (tumen_dict_free). */
tumen_status dict_cache_load_or_build(struct tumen_dict **out, const char *const *paths,
                                      size_t n, const char *cache_dir, bool *from_cache,
                                      tumen_error *err);

/* Serialises a finished dictionary into b. */
tumen_status dict_cache_write(const struct tumen_dict *d, uint64_t key, struct buf *b);
/* Rebuilds a finished dictionary from an image; TUMEN_INVALID when it is not a valid image
 * for key. The caller owns *out. */
tumen_status dict_cache_read(const void *data, size_t len, uint64_t key, struct tumen_dict **out);

#endif
