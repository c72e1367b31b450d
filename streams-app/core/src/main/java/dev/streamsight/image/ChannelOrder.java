package dev.streamsight.image;

/** Channel order of the model's input tensor. */
public enum ChannelOrder {
    RGB,
    BGR
}
