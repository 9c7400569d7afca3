/** Browser uploads in parts (S3 multipart) with size limits enforced at completion, and cleaning up abandoned ones. */
package dev.pontus.multipart;
