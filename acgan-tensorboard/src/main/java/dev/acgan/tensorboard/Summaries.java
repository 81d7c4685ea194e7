package dev.acgan.tensorboard;

import com.google.protobuf.ByteString;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;
import org.tensorflow.proto.SummaryMetadata;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * The {@link Event} records TensorBoard's plugins read: scalars as {@code simple_value} (the scalars plugin), PNG
 * images as {@link Summary.Image} (the images plugin) and text as a scalar {@code DT_STRING} tensor tagged with the
 * {@code text} plugin (what {@code tf.summary.text} writes; the plugin renders it as Markdown).
 */
final class Summaries {

    /** The version record every event file starts with. */
    static final String FILE_VERSION = "brain.Event:2";
    /** The plugin name of text summaries. */
    static final String TEXT_PLUGIN = "text";

    private Summaries() {}

    static Event fileVersion(double wallTime) {
        return Event.newBuilder()
                .setWallTime(wallTime)
                .setFileVersion(FILE_VERSION)
                .build();
    }

    static Event scalar(double wallTime, long step, String tag, double value) {
        return event(wallTime, step, Summary.Value.newBuilder().setTag(tag).setSimpleValue((float) value));
    }

    static Event image(double wallTime, long step, String tag, Png png) {
        Summary.Image image = Summary.Image.newBuilder()
                .setWidth(png.width())
                .setHeight(png.height())
                .setColorspace(png.colorspace())
                .setEncodedImageString(ByteString.copyFrom(png.bytes()))
                .build();
        return event(wallTime, step, Summary.Value.newBuilder().setTag(tag).setImage(image));
    }

    static Event text(double wallTime, long step, String tag, String markdown) {
        TensorProto tensor = TensorProto.newBuilder()
                .setDtype(DataType.DT_STRING)
                .setTensorShape(TensorShapeProto.getDefaultInstance())
                .addStringVal(ByteString.copyFromUtf8(markdown))
                .build();
        SummaryMetadata metadata = SummaryMetadata.newBuilder()
                .setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName(TEXT_PLUGIN))
                .build();
        return event(
                wallTime,
                step,
                Summary.Value.newBuilder().setTag(tag).setMetadata(metadata).setTensor(tensor));
    }

    private static Event event(double wallTime, long step, Summary.Value.Builder value) {
        return Event.newBuilder()
                .setWallTime(wallTime)
                .setStep(step)
                .setSummary(Summary.newBuilder().addValue(value))
                .build();
    }
}
