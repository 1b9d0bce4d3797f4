// Shrinks a photo in the browser before it is sent (long side at most 1600 px, JPEG).
const MAX_SIDE_PX = 1600;

/** @returns {Promise<Blob>} the bytes to upload (the file itself when it is small already) */
export async function resizePhoto(file) {
  if (!/^image\/(jpeg|png|webp|gif)$/.test(file.type)) throw new Error('JPG, PNG, WebP, GIF');
  if (file.type === 'image/gif' && file.size < 2 * 1024 * 1024) return file;
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, MAX_SIDE_PX / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
  return blob && (blob.size < file.size || scale < 1) ? blob : file;
}
