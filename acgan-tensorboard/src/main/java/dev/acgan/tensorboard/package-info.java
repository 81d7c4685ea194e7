/**
 * TensorBoard event files of a training run: {@link dev.acgan.tensorboard.TensorBoardListener}, the listener a host
 * adds to its trainer, and {@link dev.acgan.tensorboard.EventFileWriter}, one event file. The records are
 * TensorFlow's {@code Event} protocol buffers (the generated classes of TensorFlow Java's
 * {@code tensorflow-core-native} jar, used without its native library) in TFRecord framing; {@code tensorboard
 * --logdir DIR} reads them.
 */
package dev.acgan.tensorboard;
