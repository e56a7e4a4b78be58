/** Limits of uploaded files that forms tell the user about: browser-safe, read by the server's checks too. */
export const PHOTO_MAX_BYTES = 8 * 1024 * 1024;
export const ROSTER_MAX_BYTES = 5 * 1024 * 1024;
export const PHOTOS_PER_VISIT = 5;
