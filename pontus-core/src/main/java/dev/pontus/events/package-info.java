/**
 * Validation driven by S3 event notifications: {@link dev.pontus.events.UploadEventHandler} takes one SQS message
 * body (S3 → SQS, S3 → SNS → SQS or EventBridge → SQS) and validates and promotes every upload it names, once,
 * however often the message is delivered.
 */
package dev.pontus.events;
